"""绩效自评报告编制助手 — drafting, checking and printing a 项目支出绩效自评报告."""

__version__ = "0.1.0"
APP_NAME = "jxzp"
APP_DISPLAY_NAME = "绩效自评报告编制助手"
