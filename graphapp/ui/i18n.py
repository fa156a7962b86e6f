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
    # help, expressions, lesson; tooltips of the action table (tip_<action>)
    "menu_help": ("&Help", "도움말(&H)"),
    "new_expr": ("New from &Expression…", "식으로 새로 만들기(&E)…"),
    "insert_expr": ("Insert E&xpression…", "식 삽입…"),
    "copy_image": ("Copy as &Image", "이미지로 복사"),
    "play_pause": ("Play / Pause", "재생 / 일시 정지"),
    "lesson": ("&Lesson", "수업 내용(&L)"),
    "shortcuts": ("&Keyboard Shortcuts", "단축키(&K)"),
    "about": ("&About Backprop Studio", "역전파 스튜디오 정보(&A)"),
    "about_text": ("Computational graphs for lectures: forward values, backward gradients, step by step.",
                   "강의를 위한 계산 그래프: 순전파 값과 역전파 기울기를 한 단계씩 보여 줍니다."),
    "about_licences": ("Licences", "라이선스"),
    "sc_menu": ("Menu", "메뉴"),
    "sc_command": ("Command", "명령"),
    "sc_keys": ("Keys", "키"),
    "lesson_none": ("This graph has no lesson text. The lecture examples (Examples menu) have one.",
                    "이 그래프에는 수업 설명이 없습니다. 예제 메뉴의 강의 예제에는 있습니다."),
    "lesson_source": ("Source", "출처"),
    "lesson_lr": ("Learning rate", "학습률"),
    "expr_label": ("Expression (statements separated by ; or new lines)", "식 (; 또는 줄 바꿈으로 구분)"),
    "expr_values": ("Values (name = value, separated by commas or new lines)",
                    "값 (이름 = 값, 쉼표 또는 줄 바꿈으로 구분)"),
    "expr_hint": ("e.g. h1 = sigmoid(w11*x1 + w12*x2 + b1); h2 = sigmoid(w21*x1 + w22*x2 + b2); "
                  "y = sigmoid(w31*h1 + w32*h2 + b3)",
                  "예: h1 = sigmoid(w11*x1 + w12*x2 + b1); h2 = sigmoid(w21*x1 + w22*x2 + b2); "
                  "y = sigmoid(w31*h1 + w32*h2 + b3)"),
    "values_hint": ("x1 = 0, x2 = 1, w11 = 0.5, … (w…, b… become parameters; a matrix: W = [[1, 2], [3, 4]])",
                    "x1 = 0, x2 = 1, w11 = 0.5, … (w…, b…는 매개변수; 행렬: W = [[1, 2], [3, 4]])"),
    "copied_image": ("The canvas is on the clipboard as a picture.", "캔버스를 그림으로 클립보드에 복사했습니다."),
    "cmd_expression": ("Insert expression ({n} nodes)", "식 삽입 (노드 {n}개)"),
    "tip_new": ("Start an empty graph", "빈 그래프를 새로 시작합니다"),
    "tip_new_expr": ("Type an expression and its values; get the laid-out graph",
                     "식과 값을 입력하면 배치된 그래프를 만듭니다"),
    "tip_open": ("Open a graph file (.json)", "그래프 파일(.json)을 엽니다"),
    "tip_save": ("Save the graph", "그래프를 저장합니다"),
    "tip_save_as": ("Save the graph under another name", "그래프를 다른 이름으로 저장합니다"),
    "tip_export_png": ("Write the whole canvas as a PNG picture (2× for slides)",
                       "캔버스 전체를 PNG 그림으로 저장합니다 (슬라이드용 2배)"),
    "tip_export_svg": ("Write the whole canvas as an SVG drawing", "캔버스 전체를 SVG 그림으로 저장합니다"),
    "tip_quit": ("Close the window", "창을 닫습니다"),
    "tip_undo": ("Undo the last edit", "마지막 편집을 취소합니다"),
    "tip_redo": ("Redo the edit just undone", "취소한 편집을 다시 실행합니다"),
    "tip_cut": ("Copy the selected nodes and delete them", "선택한 노드를 복사하고 삭제합니다"),
    "tip_copy": ("Copy the selected nodes as graph data", "선택한 노드를 그래프 데이터로 복사합니다"),
    "tip_copy_image": ("Put the whole canvas on the clipboard as a picture",
                       "캔버스 전체를 그림으로 클립보드에 넣습니다"),
    "tip_paste": ("Paste copied nodes beside the originals", "복사한 노드를 원래 노드 옆에 붙여넣습니다"),
    "tip_duplicate": ("Copy and paste the selected nodes in one step", "선택한 노드를 한 번에 복제합니다"),
    "tip_delete": ("Delete the selected nodes and edges", "선택한 노드와 연결을 삭제합니다"),
    "tip_select_all": ("Select every node", "모든 노드를 선택합니다"),
    "tip_insert_expr": ("Add the graph of an expression to this graph", "식의 그래프를 이 그래프에 추가합니다"),
    "tip_zoom_in": ("Zoom in", "확대합니다"),
    "tip_zoom_out": ("Zoom out", "축소합니다"),
    "tip_fit": ("Show the whole graph", "그래프 전체를 보여 줍니다"),
    "tip_relayout": ("Arrange the nodes in layers, inputs on the left", "입력을 왼쪽에 두고 노드를 층으로 배치합니다"),
    "tip_presentation": ("Large type for the lecture hall", "강의실용 큰 글씨"),
    "tip_theme_light": ("Dark text on a light canvas", "밝은 캔버스에 어두운 글씨"),
    "tip_theme_dark": ("Light text on a dark canvas", "어두운 캔버스에 밝은 글씨"),
    "tip_lang_en": ("Show the window in English", "창을 영어로 표시합니다"),
    "tip_lang_ko": ("Show the window in Korean", "창을 한국어로 표시합니다"),
    "tip_forward": ("Run the forward pass to its end", "순전파를 끝까지 실행합니다"),
    "tip_backward": ("Run the backward pass to its end", "역전파를 끝까지 실행합니다"),
    "tip_step_next": ("One step forward", "한 단계 앞으로"),
    "tip_step_prev": ("One step back", "한 단계 뒤로"),
    "tip_play_pause": ("Play the steps one after another, or pause", "단계를 차례로 재생하거나 멈춥니다"),
    "tip_reset": ("Back to step 0", "0단계로 돌아갑니다"),
    "tip_gradcheck": ("Compare backprop with numerical gradients", "역전파 기울기를 수치 기울기와 비교합니다"),
    "tip_lesson": ("Show the example's title, description and corrections",
                   "예제의 제목, 설명, 정정 내용을 보여 줍니다"),
    "tip_shortcuts": ("Every key of every command", "모든 명령의 단축키"),
    "tip_about": ("Version and licences", "버전과 라이선스"),
    "tip_dock": ("Show or hide the {name} panel", "{name} 패널을 보이거나 숨깁니다"),
    "tip_speed": ("Steps per second when playing", "재생할 때 초당 단계 수"),
    "tip_slider": ("Drag to any step", "끌어서 원하는 단계로 이동합니다"),
    "tip_close": ("Close this window", "이 창을 닫습니다"),
    "tip_float": ("Float this panel in its own window, or dock it again", "이 패널을 따로 띄우거나 다시 붙입니다"),
    "tip_close_panel": ("Hide this panel (View → Panels shows it again)",
                        "이 패널을 숨깁니다 (보기 → 패널에서 다시 보입니다)"),
    "tip_clear": ("Clear the text", "글자를 지웁니다"),
    "tip_select_rows": ("Select every row", "모든 행을 선택합니다"),
    "tip_tab_scroll": ("Show more tabs", "다른 탭을 보여 줍니다"),
    "tip_more_menus": ("More menus", "다른 메뉴"),
    "tip_cancel": ("Close without changing the graph", "그래프를 바꾸지 않고 닫습니다"),
    "tip_expr_ok": ("Build the graph (nothing changes if there is an error)",
                    "그래프를 만듭니다 (오류가 있으면 아무것도 바뀌지 않습니다)"),
    "tip_gc_run": ("Compare backprop with (f(x+h) − f(x−h)) / 2h (Ctrl+G)",
                   "역전파 값을 (f(x+h) − f(x−h)) / 2h와 비교합니다 (Ctrl+G)"),
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
