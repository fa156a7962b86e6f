"""Every UI string in both languages, and the current language. Switching needs no restart:
widgets call tr() again in their retranslate() methods."""
from __future__ import annotations

from graphapp.core.messages import localize

STRINGS: dict[str, tuple[str, str]] = {
    "app_name": ("Backprop Studio", "역전파 스튜디오"),
    "untitled": ("Untitled", "제목 없음"),
    # menus
    "menu_file": ("&File", "파일(&F)"),
    "menu_edit": ("&Edit", "편집(&E)"),
    "menu_view": ("&View", "보기(&V)"),
    "menu_run": ("&Run", "실행(&R)"),
    "menu_examples": ("E&xamples", "예제(&X)"),
    "menu_recent": ("Open &Recent", "최근 파일"),
    "menu_language": ("&Language", "언어"),
    "menu_theme": ("&Theme", "테마"),
    "new": ("&New", "새로 만들기(&N)"),
    "open": ("&Open…", "열기(&O)…"),
    "save": ("&Save", "저장(&S)"),
    "save_as": ("Save &As…", "다른 이름으로 저장…"),
    "export_png": ("Export Canvas as &PNG…", "캔버스를 PNG로 내보내기…"),
    "export_svg": ("Export Canvas as S&VG…", "캔버스를 SVG로 내보내기…"),
    "quit": ("&Quit", "끝내기(&Q)"),
    "clear_recent": ("Clear List", "목록 지우기"),
    "no_recent": ("(none)", "(없음)"),
    "undo": ("&Undo", "실행 취소(&U)"),
    "redo": ("&Redo", "다시 실행(&R)"),
    "cut": ("Cu&t", "잘라내기"),
    "copy": ("&Copy", "복사"),
    "paste": ("&Paste", "붙여넣기"),
    "duplicate": ("D&uplicate", "복제"),
    "delete": ("&Delete", "삭제"),
    "select_all": ("Select &All", "모두 선택"),
    "zoom_in": ("Zoom &In", "확대"),
    "zoom_out": ("Zoom &Out", "축소"),
    "fit": ("&Fit to View", "화면에 맞추기"),
    "relayout": ("Auto &Layout", "자동 배치"),
    "presentation": ("&Presentation Mode", "발표 모드"),
    "theme_light": ("Light", "밝은 테마"),
    "theme_dark": ("Dark", "어두운 테마"),
    "lang_en": ("English", "English (영어)"),
    "lang_ko": ("한국어 (Korean)", "한국어"),
    "docks": ("Panels", "패널"),
    "menu_digits": ("Significant digits", "유효 숫자"),
    # docks
    "palette": ("Nodes", "노드"),
    "palette_search": ("Search nodes (English or 한국어)…", "노드 검색 (한국어 또는 English)…"),
    "inspector": ("Inspector", "속성"),
    "gradcheck": ("Gradient Check", "기울기 검사"),
    "narration": ("Narration", "설명"),
    # playback
    "forward": ("Forward", "순전파"),
    "backward": ("Backward", "역전파"),
    "step_next": ("Step ▶", "한 단계 ▶"),
    "step_prev": ("◀ Step", "◀ 한 단계"),
    "play": ("Play", "재생"),
    "pause": ("Pause", "일시 정지"),
    "reset": ("Reset", "처음으로"),
    "speed": ("Speed", "속도"),
    "step_of": ("Step {step} / {total}", "단계 {step} / {total}"),
    "phase_start": ("ready", "준비"),
    "phase_forward": ("forward", "순전파"),
    "phase_backward": ("backward", "역전파"),
    "phase_update": ("update", "갱신"),
    "phase_done": ("done", "완료"),
    # inspector
    "no_selection": ("Select a node to see and edit it.", "노드를 선택하면 여기서 보고 고칠 수 있습니다."),
    "many_selected": ("{n} nodes selected.", "노드 {n}개 선택됨."),
    "node_id": ("Id", "아이디"),
    "node_op": ("Type", "종류"),
    "label_en": ("Label (English)", "이름 (영어)"),
    "label_ko": ("Label (Korean)", "이름 (한국어)"),
    "attributes": ("Attributes", "속성값"),
    "value": ("Value", "값"),
    "value_hint": ("a number or JSON, e.g. [[1, 2], [3, 4]]", "숫자 또는 JSON, 예: [[1, 2], [3, 4]]"),
    "computed": ("After the run", "실행 결과"),
    "run_value": ("Value", "값"),
    "run_grad": ("Gradient ∂L/∂·", "기울기 ∂L/∂·"),
    "not_yet": ("not computed yet", "아직 계산되지 않음"),
    "shape": ("Shape", "모양"),
    # gradcheck
    "gc_run": ("Check Gradients", "기울기 검사"),
    "gc_node": ("Node", "노드"),
    "gc_analytic": ("Analytic (backprop)", "해석적 (역전파)"),
    "gc_numeric": ("Numeric (central diff.)", "수치적 (중앙 차분)"),
    "gc_ok": ("Agree", "일치"),
    "gc_help": ("Compares backprop with (f(x+h) − f(x−h)) / 2h for every input and parameter.",
                "모든 입력과 매개변수에 대해 역전파 값과 (f(x+h) − f(x−h)) / 2h를 비교합니다."),
    "gc_all_ok": ("All {n} gradients agree.", "기울기 {n}개가 모두 일치합니다."),
    "gc_bad": ("{bad} of {n} gradients disagree.", "기울기 {n}개 중 {bad}개가 다릅니다."),
    # messages
    "unsaved_title": ("Unsaved changes", "저장하지 않은 변경"),
    "unsaved_text": ("Save the changes to “{name}”?", "“{name}”의 변경 내용을 저장할까요?"),
    "open_failed": ("Could not open the file", "파일을 열 수 없습니다"),
    "save_failed": ("Could not save the file", "파일을 저장할 수 없습니다"),
    "file_filter": ("Backprop Studio graphs (*.json)", "역전파 스튜디오 그래프 (*.json)"),
    "png_filter": ("PNG image (*.png)", "PNG 이미지 (*.png)"),
    "svg_filter": ("SVG image (*.svg)", "SVG 이미지 (*.svg)"),
    "saved": ("Saved {path}", "{path}에 저장했습니다"),
    "exported": ("Exported {path}", "{path}로 내보냈습니다"),
    "opened": ("Opened {name}", "{name}을(를) 열었습니다"),
    "refused": ("Cannot connect: {reason}", "연결할 수 없습니다: {reason}"),
    "error": ("Error: {msg}", "오류: {msg}"),
    "edit_failed": ("Not changed: {msg}", "바뀌지 않았습니다: {msg}"),
    # autosave and recovery
    "recover_title": ("Recover unsaved work?", "저장하지 않은 작업을 복구할까요?"),
    "recover_text": ("Backprop Studio did not close normally. An automatic copy of “{name}” from {time} was "
                     "found.\n\nRecover it? (It opens as an unsaved document.)",
                     "역전파 스튜디오가 정상적으로 종료되지 않았습니다. {time}에 자동 저장된 “{name}”이(가) "
                     "있습니다.\n\n복구할까요? (저장하지 않은 문서로 열립니다.)"),
    "recover": ("&Recover", "복구(&R)"),
    "discard": ("&Discard", "버리기(&D)"),
    "autosave_failed": ("Autosave failed: {msg}", "자동 저장 실패: {msg}"),
    # undo texts
    "cmd_add": ("Add {name}", "{name} 추가"),
    "cmd_remove": ("Remove {name}", "{name} 삭제"),
    "cmd_connect": ("Connect {src} → {dst}", "{src} → {dst} 연결"),
    "cmd_disconnect": ("Disconnect {src} → {dst}", "{src} → {dst} 연결 끊기"),
    "cmd_move": ("Move {name}", "{name} 이동"),
    "cmd_move_many": ("Move {n} nodes", "노드 {n}개 이동"),
    "cmd_value": ("Set value of {name}", "{name} 값 변경"),
    "cmd_attr": ("Set {attr} of {name}", "{name}의 {attr} 변경"),
    "cmd_label": ("Rename {name}", "{name} 이름 변경"),
    "cmd_delete": ("Delete {n} items", "항목 {n}개 삭제"),
    "cmd_paste": ("Paste {n} nodes", "노드 {n}개 붙여넣기"),
    "cmd_layout": ("Auto layout", "자동 배치"),
    # legend on the canvas
    "legend_value": ("forward value (above the edge)", "순전파 값 (화살표 위)"),
    "legend_grad": ("gradient ∂L/∂· (red, below the edge)", "기울기 ∂L/∂· (빨강, 화살표 아래)"),
}

_lang = "en"


def language() -> str:
    return _lang


def set_language(lang: str) -> None:
    global _lang  # noqa: PLW0603 - one current language for the whole UI, like Qt's translator
    if lang not in ("en", "ko"):
        raise ValueError(f"unknown language {lang!r}")
    _lang = lang


def tr(key: str, **fmt: object) -> str:
    en, ko = STRINGS[key]
    text = ko if _lang == "ko" else en
    return text.format(**fmt) if fmt else text


def error_text(error: BaseException | str, lang: str | None = None) -> str:
    """A StudioError's message (English at the raise site) in the current language, or in `lang`."""
    return localize(str(error), lang or _lang)


def system_language() -> str:
    from PySide6.QtCore import QLocale  # noqa: PLC0415 - keep this module importable without Qt

    return "ko" if QLocale.system().language() == QLocale.Language.Korean else "en"
