"""工作组: the evaluation team, its dates, office and duties."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ...domain.model import Role, TeamMember
from ..document import ReportDocument
from ..models.table import Column, Kind, RowTableModel
from ..widgets.table_editor import TableEditor
from .base import ReportTab


class TeamTab(ReportTab):
    """二、项目绩效评价工作情况."""

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(document, parent)
        self.section(self.tr("工作组"))
        form = self.form()
        self.line(form, self.tr("成立日期"), ("team", "formed_on"), "date", self.tr("如 2021-03-01"))
        self.line(form, self.tr("现场检查日期"), ("team", "site_check_on"), "date", self.tr("如 2021-03-03"))
        self.line(form, self.tr("办公室设在"), ("team", "office"), placeholder=self.tr("如 综合科"))
        self.line(form, self.tr("资料联系人"), ("team", "contact"))

        self.section(self.tr("成员（组长在前）"))
        roles = ((Role.LEADER, self.tr("组长")), (Role.DEPUTY, self.tr("副组长")), (Role.MEMBER, self.tr("成员")))
        members = RowTableModel(
            document, ("team", "members"),
            [Column("role", self.tr("角色"), Kind.CHOICE, choices=roles, width=90),
             Column("name", self.tr("姓名"), width=140),
             Column("position", self.tr("职务"), width=320)],
            TeamMember, parent=self,
        )
        self.add_table(TableEditor(members, self, minimum_rows=3, stretch_key="position"))

        self.section(self.tr("工作职责"))
        self.text(self.tr("（1）组长职责"), ("team", "leader_duties"), 70)
        self.text(self.tr("（2）副组长职责"), ("team", "deputy_duties"), 70)
        self.text(self.tr("（3）小组成员职责"), ("team", "member_duties"), 90)
        self.text(self.tr("现场检查情况（接在现场检查日期之后）"), ("team", "site_check"), 70)
        self.finish()
