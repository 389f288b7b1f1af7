"""Guards against Qt binding releases that break the app at run time.

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without a reference: each emit
from Python drops one reference to ``True`` and after a few thousand keystrokes CPython
aborts with "bool_dealloc". pyproject excludes that release; this test fails on any
binding that does it again.
"""

import sys

from PySide6.QtCore import QObject, Signal

#: From Python 3.12 on True and None are immortal: their reference counts never move,
#: so a binding that drops a reference to them can no longer be seen (nor crash).
IMMORTAL_SINGLETONS = sys.version_info >= (3, 12)


class _Source(QObject):
    changed = Signal(object, object)


class _Payload:
    """An ordinary object, never immortal: its reference count shows every leak and drop."""


def test_emitting_a_signal_does_not_leak_references():
    source = _Source()
    payload = _Payload()
    received = []
    source.changed.connect(lambda a, b: received.append(b is payload))
    before_payload, before_true = sys.getrefcount(payload), sys.getrefcount(True)
    for number in range(30):
        source.changed.emit(number, payload)
    assert received == [True] * 30
    # A binding that keeps (leaks) or drops a reference per emit moves this by 30.
    assert abs(sys.getrefcount(payload) - before_payload) <= 2
    if not IMMORTAL_SINGLETONS:  # 6.12.0's emit() returned True without a reference
        assert sys.getrefcount(True) >= before_true - 2
