"""Every table model obeys Qt's model contract (qtmodeltester), also after edits."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester

from desktop_app.ui.document import ReportDocument
from desktop_app.ui.main_window import MainWindow


def all_models(window):
    models = [table.model for page in window.tab_pages.values() for table in page.tables.values()]
    return models + [window.findings_panel.model]


def test_every_table_model_passes_qtmodeltester(qtbot, request, demo):
    window = MainWindow(ReportDocument(demo))
    qtbot.addWidget(window)
    models = all_models(window)
    assert len(models) == 8  # 7 report lists + the findings panel
    # one tester per model: a tester keeps listening to every model it was given
    testers = [ModelTester(request.config) for _ in models]
    for tester, model in zip(testers, models):
        tester.check(model, force_py=True)
    # after row operations and an undo the contract still holds
    for model in models[:-1]:
        if hasattr(model, "insert_row"):
            model.insert_row(0)
            model.move_row(0, model.rowCount() - 1 - (1 if model.has_total else 0))
    window.document.undo_stack.undo()
    for tester, model in zip(testers, models):
        tester.check(model, force_py=True)


def test_report_list_model_passes_qtmodeltester(qtbot, qtmodeltester, tmp_path, demo):
    from desktop_app.storage import Workspace
    from desktop_app.ui.dialogs.report_list import ReportListDialog

    with Workspace.open(tmp_path / "w.jxdb") as workspace:
        workspace.save(demo)
        workspace.copy(demo.report_id)
        dialog = ReportListDialog(workspace, demo.report_id)
        qtbot.addWidget(dialog)
        assert dialog.model.rowCount() == 2
        qtmodeltester.check(dialog.model, force_py=True)
        assert dialog.model.index(0, 1).data() == "招商引资工作经费"
