"""Guards against Qt binding releases that break the app at run time.

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without a reference: each emit
from Python drops one reference to ``True`` and after a few thousand keystrokes CPython
aborts with "bool_dealloc". pyproject excludes that release; this test fails on any
binding that does it again.
"""

import sys

from PySide6.QtCore import QObject, Signal


class _Source(QObject):
    changed = Signal(object, object)


def test_emitting_a_signal_does_not_leak_references():
    source = _Source()
    received = []
    source.changed.connect(lambda a, b: received.append(a))
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for number in range(30):
        source.changed.emit(number, None)
    assert len(received) == 30
    assert sys.getrefcount(True) >= before_true - 2
    assert sys.getrefcount(None) >= before_none - 2
