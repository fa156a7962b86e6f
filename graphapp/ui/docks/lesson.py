"""The Lesson panel: the open example's title, description (with the corrections of the lecture
notes' arithmetic), source and learning rate, in the current language with the other one below."""
from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from graphapp.core.errors import StudioError
from graphapp.core.meta import check_meta, text
from graphapp.ui.i18n import language, tr


class LessonPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.browser = QTextBrowser()  # wraps and scrolls: fits any dock size
        self.browser.setOpenExternalLinks(False)
        lay.addWidget(self.browser)
        self.meta: dict[str, Any] = {}

    def set_meta(self, meta: dict[str, Any]) -> None:
        try:
            self.meta = check_meta(meta)
        except StudioError:  # a graph built in memory with odd meta: show nothing rather than fail
            self.meta = {}
        self.browser.setHtml(self.html())

    def html(self) -> str:
        lang = language()
        other = "en" if lang == "ko" else "ko"
        title, desc = text(self.meta, "title", lang), text(self.meta, "description", lang)
        if not title and not desc:
            return f"<p>{html.escape(tr('lesson_none'))}</p>"
        parts = [f"<h3>{html.escape(title)}</h3>" if title else "", f"<p>{html.escape(desc)}</p>" if desc else ""]
        facts = []
        if "source" in self.meta:
            facts.append(f"{html.escape(tr('lesson_source'))}: {html.escape(self.meta['source'])}")
        if "lr" in self.meta:
            facts.append(f"{html.escape(tr('lesson_lr'))} η = {self.meta['lr']:g}")
        if facts:
            parts.append("<p>" + "<br>".join(facts) + "</p>")
        o_title, o_desc = text(self.meta, "title", other), text(self.meta, "description", other)
        if o_title or o_desc:
            parts.append(f"<hr><p style='color: gray;'><b>{html.escape(o_title)}</b><br>{html.escape(o_desc)}</p>")
        return "".join(parts)
