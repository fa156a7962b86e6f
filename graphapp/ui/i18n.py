"""Every UI string in both languages, and the current language. Switching needs no restart:
widgets call tr() again in their retranslate() methods."""
from __future__ import annotations

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
    # train dock
    "train": ("Train", "학습"),
    "show_train": ("&Train Panel", "학습 패널(&T)"),
    "train_data": ("Data", "데이터"),
    "train_data_tip": ("What to train on: the graph's own input values (one batch, as in a worked example), "
                       "a built-in set, or a CSV file.",
                       "무엇으로 학습할지: 그래프에 들어 있는 입력값(예제처럼 한 배치), 내장 데이터, 또는 CSV 파일."),
    "train_data_own": ("The graph's own values", "그래프의 입력값 그대로"),
    "train_data_csv": ("CSV file…", "CSV 파일…"),
    "train_size": ("Size", "개수"),
    "train_size_tip": ("Number of points of a generated set (circles, moons, spirals, blobs, linear).",
                       "생성 데이터(circles, moons, spirals, blobs, linear)의 점 개수."),
    "train_csv": ("File", "파일"),
    "train_csv_tip": ("The CSV file: numeric columns, # comment lines skipped.",
                      "CSV 파일: 숫자 열만, #으로 시작하는 줄은 건너뜁니다."),
    "train_browse": ("Choose…", "선택…"),
    "train_browse_tip": ("Choose a CSV file.", "CSV 파일을 고릅니다."),
    "train_csv_filter": ("CSV files (*.csv);;All files (*)", "CSV 파일 (*.csv);;모든 파일 (*)"),
    "train_target": ("Target", "정답 열"),
    "train_target_tip": ("The target column of the CSV file: its name or its number from 1; empty for the last "
                         "column.", "CSV 파일의 정답 열: 열 이름 또는 1부터 센 번호. 비우면 마지막 열."),
    "train_target_hint": ("last column", "마지막 열"),
    "train_scale": ("Scaling", "스케일링"),
    "train_scale_tip": ("Feature scaling fitted on the training rows: none, min-max to [0, 1], or "
                        "standardization (mean 0, std 1).",
                        "학습 행으로 맞춘 특성 스케일링: 없음, 최소-최대 [0, 1], 표준화(평균 0, 표준편차 1)."),
    "train_scale_none": ("none", "없음"),
    "train_scale_minmax": ("min-max", "최소-최대"),
    "train_scale_standard": ("standardize", "표준화"),
    "train_test": ("Validation", "검증 비율"),
    "train_test_tip": ("Fraction of the rows kept out of training to validate on (0: train on everything).",
                       "학습에서 빼 두고 검증에 쓸 행의 비율 (0이면 모두 학습)."),
    "train_model": ("Model", "모델"),
    "train_model_tip": ("Train the open graph, or open a template sized from the data as a new document "
                        "(like an example) and train it.",
                        "열린 그래프를 학습하거나, 데이터 크기에 맞춘 템플릿을 새 문서로 열어(예제처럼) 학습합니다."),
    "train_model_current": ("The current graph", "현재 그래프"),
    "train_hidden": ("Hidden", "은닉층"),
    "train_hidden_tip": ("Hidden layer sizes for mlp, e.g. 300,100 (xor_net: one size).",
                         "mlp의 은닉층 크기, 예: 300,100 (xor_net은 하나)."),
    "train_activation": ("Activation", "활성화 함수"),
    "train_activation_tip": ("The hidden layers' activation (mlp).", "은닉층의 활성화 함수 (mlp)."),
    "train_optimizer": ("Optimizer", "최적화 기법"),
    "train_optimizer_tip": ("The update rule, each as PyTorch defines it. Choosing one puts its default "
                            "learning rate in the field below.",
                            "갱신 규칙 (PyTorch와 같은 정의). 고르면 아래 칸에 기본 학습률이 들어갑니다."),
    "train_lr": ("Learning rate", "학습률"),
    "train_lr_tip": ("The step size lr (a number ≥ 0).", "한 번에 움직이는 크기 lr (0 이상의 수)."),
    "train_settings": ("Settings", "설정"),
    "train_settings_tip": ("Other settings of the optimizer as name=value, separated by commas. {name} has: "
                           "{settings}.", "최적화 기법의 다른 설정, 이름=값을 쉼표로 구분. {name}의 설정: {settings}."),
    "train_settings_hint": ("defaults", "기본값"),
    "train_batch": ("Batch size", "배치 크기"),
    "train_batch_tip": ("Rows per update: full (batch gradient descent), 1 (SGD) or anything between "
                        "(mini-batch). Rows are shuffled every epoch from the seed.",
                        "한 번 갱신에 쓰는 행 수: 전체(배치 경사 하강법), 1(SGD), 그 사이(미니배치). "
                        "에폭마다 시드로 섞습니다."),
    "train_full": ("full", "전체"),
    "train_length": ("Length", "길이"),
    "train_length_tip": ("How long a run lasts, in epochs (passes over the training rows) or in updates.",
                         "학습 길이: 에폭(학습 행 전체를 한 번 도는 것) 또는 갱신 횟수."),
    "train_epochs": ("epochs", "에폭"),
    "train_steps": ("steps", "단계"),
    "train_seed": ("Seed", "시드"),
    "train_seed_tip": ("Seed of the data split, the shuffling, the generated sets and a template's initial "
                       "weights: the same seed gives the same run.",
                       "데이터 분할, 섞기, 생성 데이터, 템플릿 초기 가중치의 시드: 시드가 같으면 결과도 같습니다."),
    "train_start": ("Start", "시작"),
    "train_start_tip": ("Train off the window's thread; continues a paused run if nothing changed.",
                        "창과 별도의 스레드에서 학습합니다. 바뀐 것이 없으면 멈춘 학습을 이어 갑니다."),
    "train_stop": ("Stop", "정지"),
    "train_stop_tip": ("Pause the run; the canvas shows the parameters' current values (Ctrl+Z restores "
                       "the old ones).", "학습을 멈춥니다. 캔버스에 현재 매개변수 값이 보입니다 "
                       "(Ctrl+Z로 이전 값 복원)."),
    "train_step": ("Step", "한 번"),
    "train_step_tip": ("Exactly one update, then pause.", "정확히 한 번 갱신하고 멈춥니다."),
    "train_export_png": ("PNG…", "PNG…"),
    "train_export_png_tip": ("Save the curves as a PNG image.", "곡선을 PNG 그림으로 저장합니다."),
    "train_export_csv": ("CSV…", "CSV…"),
    "train_export_csv_tip": ("Save the curves' numbers as CSV: one row per step and per evaluation.",
                             "곡선의 수치를 CSV로 저장합니다: 단계와 평가마다 한 행."),
    "train_plot_loss": ("Loss", "손실"),
    "train_plot_accuracy": ("Accuracy", "정확도"),
    "train_axis_step": ("step (updates)", "단계 (갱신 횟수)"),
    "train_batch_loss": ("batch", "배치"),
    "train_smoothed": ("batch, smoothed", "배치 (평활)"),
    "train_train": ("train", "학습"),
    "train_validation": ("validation", "검증"),
    "train_ready": ("Ready.", "준비."),
    "train_status": ("Step {step} / {total} · epoch {epoch} · loss {loss}",
                     "단계 {step} / {total} · 에폭 {epoch} · 손실 {loss}"),
    "train_accuracy": (" · accuracy {train} (validation {test})", " · 정확도 {train} (검증 {test})"),
    "train_paused": ("Paused at step {n}; the canvas shows the new values.",
                     "{n}단계에서 멈춤. 캔버스에 새 값이 보입니다."),
    "train_done": ("Finished: {n} updates in {seconds} s.", "완료: {seconds}초 동안 {n}번 갱신."),
    "train_changed": ("The graph changed while training: the trained values were not written into it.",
                      "학습 중에 그래프가 바뀌어 학습한 값을 넣지 않았습니다."),
    "train_needs_data": ("model: a template is sized from a data set; choose one under Data",
                         "모델: 템플릿은 데이터 크기에 맞춰 만듭니다. 데이터를 고르세요"),
    "train_bad_number": ("{field}: '{text}' is not a number", "{field}: '{text}'은(는) 수가 아닙니다"),
    "train_bad_setting": ("{field}: '{text}' is not name=value", "{field}: '{text}'은(는) 이름=값 꼴이 아닙니다"),
    "train_no_csv": ("data: choose a CSV file", "데이터: CSV 파일을 고르세요"),
    "cmd_train": ("Train ({n} updates)", "학습 ({n}번 갱신)"),
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


def system_language() -> str:
    from PySide6.QtCore import QLocale  # noqa: PLC0415 - keep this module importable without Qt

    return "ko" if QLocale.system().language() == QLocale.Language.Korean else "en"
