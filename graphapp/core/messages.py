"""The message catalogue: every error text a user can see, in English and Korean.

Raise sites keep writing English; `localize` translates a finished message. Messages are composed
("file.json: edges[3] (a → b.x): node 'b': input 'x' is not connected"), so a message is either one
whole template or a place, ": ", and a shorter message, translated piece by piece. In a template,
{name} is user data, kept as it is; {msg...} is an inner message, translated too; {where...} is a place.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass

# Places: what comes before ": " (a node, a line, a column). One not listed here is user data
# (a file path, "nodes[3]", "--size 10x10") and stays as it is.
PLACES: dict[str, str] = {
    "node '{node}'": "노드 '{node}'",
    "node '{node}' value": "노드 '{node}'의 값",
    "node '{node}'.{key}": "노드 '{node}'의 {key}",
    "node '{node}' ({op})": "노드 '{node}' ({op})",
    "expression": "식",
    "expression, column {col}": "식, {col}번째 열",
    "expression, line {line}, column {col}": "식, {line}번째 줄 {col}번째 열",
    "cycle": "순환(cycle)",
    "group '{group}'": "그룹 '{group}'",
    "group '{group}'.{key}": "그룹 '{group}'의 {key}",
    "line {line}": "{line}번째 줄",
    "line {line}, column {col}": "{line}번째 줄 {col}번째 열",
    "line {line}, column {col} ({name})": "{line}번째 줄 {col}번째 열 ({name})",
    "target column {col} ({name})": "목표 열 {col} ({name})",
    "size {w}x{h}": "크기 {w}x{h}",
    "step {step}": "단계 {step}",
    "animation": "애니메이션",
    "optimizer '{name}'": "최적화기 '{name}'",
    "optimizer '{name}', step {step}": "최적화기 '{name}', {step}단계",
    "initializer '{name}'": "초기화 방법 '{name}'",
    "invalid syntax": "문법 오류",
    "learning rate (lr)": "학습률(lr)",
    "a node's id": "노드 아이디",
    "node '{node}' label": "노드 '{node}'의 이름표",
    "node '{node}' label_ko": "노드 '{node}'의 한국어 이름표",
}

MESSAGES: dict[str, str] = {
    # graph structure
    "cycle: {path} (a computational graph must not feed a node back into itself)":
        "순환(cycle)이 생깁니다: {path} (계산 그래프에서는 노드의 출력이 자기 자신에게 되돌아올 수 없습니다)",
    "input '{port}' is not connected": "입력 '{port}'에 연결된 것이 없습니다",
    "input '{port}' is already fed by '{src}'": "입력 '{port}'에는 이미 노드 '{src}'의 출력이 연결되어 있습니다",
    "unknown op '{op}'": "알 수 없는 연산입니다: '{op}'",
    "no node named '{node}'": "이런 이름의 노드가 없습니다: '{node}'",
    "a node named '{node}' already exists": "같은 이름의 노드가 이미 있습니다: '{node}'",
    "node '{node}' has no input '{port}' (it has: none)": "노드 '{node}'에는 입력이 없습니다 (요청한 입력: '{port}')",
    "node '{node}' has no input '{port}' (it has: {ports})":
        "노드 '{node}'에 없는 입력입니다: '{port}' (있는 입력: {ports})",
    "{op} has no attribute '{attr}'": "{op} 노드에 없는 속성입니다: '{attr}'",
    "{op} has no value": "{op} 노드에 값이 없습니다",
    "a {op} node computes its value; it cannot be given one": "{op} 노드는 값을 스스로 계산하므로 값을 줄 수 없습니다",
    "node '{node}' is a {op} node; only inputs, parameters and constants hold values":
        "노드 '{node}': {op} 노드에는 값을 줄 수 없습니다. 값은 입력, 매개변수, 상수 노드만 가집니다",
    "node '{node}' is not an input, parameter or constant": "노드 '{node}': 입력, 매개변수, 상수 노드가 아닙니다",
    "the graph has no output: add an Output node or an operation":
        "그래프에 출력이 없습니다. 출력(Output) 노드나 연산 노드를 추가하세요",
    "value of shape {a} given where the graph expects {b}": "그래프는 모양 {b}의 값을 기대하는데 모양 {a}의 값이 주어졌습니다",
    "its gradient is not finite (NaN or infinity)": "기울기가 유한한 수가 아닙니다 (NaN 또는 무한대)",
    "node '{node}' ({op}) produced NaN or infinity": "노드 '{node}' ({op})에서 NaN 또는 무한대가 나왔습니다",
    "node '{node}' ({op}) produced NaN or infinity from {ins}":
        "노드 '{node}' ({op})에서 NaN 또는 무한대가 나왔습니다 (입력: {ins})",
    "input {port} = {x} (from '{src}') is outside its domain {rule}":
        "입력 {port} = {x} (노드 '{src}'의 출력): 정의역을 벗어났습니다 (조건: {rule})",
    "input {port} = {x} (from '{src}') is outside its domain {rule} (p = {p} is not a whole number)":
        "입력 {port} = {x} (노드 '{src}'의 출력): 정의역을 벗어났습니다 (조건: {rule}, 정수가 아닌 지수 p = {p})",
    "input {port} = {x} (from '{src}') is outside its domain {rule} (p = {p} is negative)":
        "입력 {port} = {x} (노드 '{src}'의 출력): 정의역을 벗어났습니다 (조건: {rule}, 음수 지수 p = {p})",
    "input {port} = {x} (from '{src}') is outside its domain {rule} (a probability)":
        "입력 {port} = {x} (노드 '{src}'의 출력): 정의역을 벗어났습니다 (조건: {rule}, 확률)",
    "input {port} = {x} (from '{src}') is outside its domain target is a class index 0, 1, …, C − 1 "
    "(C = the number of classes)":
        "입력 {port} = {x} (노드 '{src}'의 출력): 정의역을 벗어났습니다 (조건: 목표값은 클래스 번호 0, 1, …, C − 1, "
        "C = 클래스 수)",
    "{x} is not a positive number": "양수가 아닙니다: {x}",
    "non-empty text": "비어 있지 않은 텍스트",
    "{n} characters; at most {m}": "{n}자입니다 (최대 {m}자)",
    "contains an unpaired surrogate (U+D800–U+DFFF), which is not text":
        "짝 없는 서로게이트 문자(U+D800–U+DFFF)가 있어 텍스트가 아닙니다",
    # attributes and shapes
    "{op} attribute '{attr}' got {value}; expected {msg}": "{op} 노드의 속성 '{attr}'에 쓸 수 없는 값입니다: {value} (필요한 값: {msg})",
    "a finite number": "유한한 수",
    "an integer": "정수",
    "true or false": "true 또는 false",
    "{msg} from {low} to {high}": "{low}부터 {high}까지의 {msg}",
    "{msg} ≥ {low}": "{low} 이상의 {msg}",
    "{msg} ≤ {high}": "{high} 이하의 {msg}",
    "null (all axes), an integer axis or a list of distinct integer axes (each from {low} to {high})":
        "null(모든 축), 정수 축 하나, 또는 서로 다른 정수 축의 목록 (각각 {low}부터 {high}까지)",
    "a list of at most {n} integers, each ≥ 0 or one -1 (inferred), e.g. [2, 3]":
        "정수 {n}개 이하의 목록 (각각 0 이상, 또는 자동으로 정해지는 -1 하나), 예: [2, 3]",
    "null (reverse the axes) or an order of the axes 0…n-1, e.g. [1, 0]":
        "null(축 순서 뒤집기) 또는 축 0…n-1의 순서, 예: [1, 0]",
    "shapes do not broadcast: {parts}": "모양(shape)을 브로드캐스트할 수 없습니다: {parts}",
    "shapes do not broadcast: '{a}' {sa} and '{b}' {sb}": "모양(shape)을 브로드캐스트할 수 없습니다: '{a}' {sa}, '{b}' {sb}",
    "axis {axis} is out of range for shape {shape}": "축 {axis}: 모양 {shape}의 범위를 벗어납니다",
    "axes {axes} name the same axis twice for shape {shape}": "축 목록 {axes}에 같은 축이 두 번 있습니다 (모양 {shape})",
    # recurrent layers (ops/recurrent.py)
    "'tanh' or 'relu'": "'tanh' 또는 'relu'",
    "{op} takes {port} of shape {want}; '{src}' has {shape}": "{op}의 {port}는 모양 {want}여야 합니다. '{src}'의 모양은 {shape}입니다",
    "{op} takes W_h of shape (H, {k}·H); '{src}' has {shape}: {k}·{h} = {kh}, not {m}":
        "{op}의 W_h는 모양 (H, {k}·H)여야 합니다. '{src}'의 모양은 {shape}입니다: {k}·{h} = {kh}인데 열은 {m}개입니다",
    "{port} '{src}' has {shape}; {op} needs {port} {formula} = {want} (N = {n}, F = {f} from x '{x}'; "
    "H = {h} from W_h '{w}')":
        "{port} '{src}'의 모양은 {shape}입니다. {op}의 {port}는 {formula} = {want}여야 합니다 "
        "(x '{x}'에서 N = {n}, F = {f}; W_h '{w}'에서 H = {h})",
    "index {i} is outside axis {a} of '{src}' {shape}, whose {n} entries are 0 to {m} (or −{n} to −1)":
        "위치 {i}: '{src}' {shape}의 축 {a} 범위를 벗어납니다 (위치 {n}개: 0부터 {m}까지, 또는 −{n}부터 −1까지)",
    "append takes seq (N, t, H) or (N, H) and h (N, H) with the same N and H; got '{s}' {ss} and '{h}' {hs}":
        "append에는 seq (N, t, H) 또는 (N, H)와 h (N, H)가 필요하며 N과 H가 같아야 합니다. 받은 것: '{s}' {ss}, '{h}' {hs}",
    "axes {axes} are not a permutation for shape {shape}": "축 목록 {axes}: 모양 {shape}의 축 순서(순열)가 아닙니다",
    "matmul takes vectors or matrices, got '{a}' {sa} and '{b}' {sb}":
        "matmul은 벡터나 행렬만 받습니다 (받은 것: '{a}' {sa}, '{b}' {sb})",
    "cannot multiply '{a}' {sa} by '{b}' {sb}: inner sizes {x} and {y} differ":
        "곱할 수 없습니다: '{a}' {sa} @ '{b}' {sb} (안쪽 크기가 다릅니다: {x}, {y})",
    "cannot reshape '{src}' {shape} to {target}": "모양을 바꿀 수 없습니다: '{src}' {shape} → {target}",
    "cannot reshape '{src}' {shape} ({n} elements) to {target}":
        "모양을 바꿀 수 없습니다: '{src}' {shape} (원소 {n}개) → {target}",
    "logits '{a}' {sa} need targets of shape {one_hot} (one-hot) or {index} (class indices); '{b}' has {sb}":
        "로짓 '{a}' {sa}에는 모양 {one_hot}(원-핫) 또는 {index}(클래스 번호)의 목표값이 필요합니다. '{b}'의 모양: {sb}",
    # expanding a layer into primitive pieces and collapsing it back (graphapp/core/expand.py)
    "{op} does not expand into primitives (these do: {ops})":
        "{op} 노드는 기본 연산으로 펼칠 수 없습니다 (펼칠 수 있는 것: {ops})",
    "an expanded group has the same id; collapse group '{group}' first":
        "같은 아이디의 펼친 그룹이 있습니다. 먼저 그룹 '{group}'을(를) 접으세요",
    "pieces '{a}' and '{b}' read different nodes for the layer's input '{port}' ('{x}' and '{y}')":
        "조각 '{a}'와(과) '{b}'가 층의 입력 '{port}'로 서로 다른 노드를 읽습니다 ('{x}', '{y}')",
    "piece '{node}' is a {op} node where {layer} expands to {want}":
        "조각 '{node}'가 {op} 노드입니다 ({layer}을(를) 펼치면 {want} 노드입니다)",
    "piece '{node}' has {attr} = {value} where {layer} has {want}; collapsing would lose that change":
        "조각 '{node}'의 {attr} = {value}입니다 ({layer}에서는 {want}). 접으면 이 변경이 사라집니다",
    "the value of piece '{node}' was changed; collapsing would lose it":
        "조각 '{node}'의 값이 바뀌었습니다. 접으면 이 변경이 사라집니다",
    "input '{port}' of piece '{node}' reads '{src}' instead of '{want}'; collapsing would lose that edge":
        "조각 '{node}'의 입력 '{port}'가 '{want}' 대신 '{src}'를 읽습니다. 접으면 이 연결이 사라집니다",
    "input '{port}' of piece '{node}' reads '{src}' instead of the layer's input; collapsing would lose that edge":
        "조각 '{node}'의 입력 '{port}'가 층의 입력 대신 '{src}'를 읽습니다. 접으면 이 연결이 사라집니다",
    "node '{dst}' reads piece '{node}' from outside the group; collapsing would lose that edge":
        "그룹 밖의 노드 '{dst}'가 조각 '{node}'를 읽습니다. 접으면 이 연결이 사라집니다",
    "input '{port}' has shape {new} now, {old} when expanded, and {op} expands differently for it; "
    "collapsing would change the numbers":
        "입력 '{port}'의 모양이 펼칠 때 {old}, 지금 {new}이고 {op}은(는) 이 모양에서 다르게 펼쳐집니다. "
        "접으면 수가 바뀝니다",
    "no expanded group named '{group}'": "이런 이름의 펼친 그룹이 없습니다: '{group}'",
    "the id '{id}' now names another node; rename that node before collapsing":
        "아이디 '{id}'를 이제 다른 노드가 쓰고 있습니다. 접기 전에 그 노드의 아이디를 바꾸세요",
    "its piece '{node}' is expanded; collapse group '{node}' first":
        "조각 '{node}'가 펼쳐져 있습니다. 먼저 그룹 '{node}'을(를) 접으세요",
    "its piece '{node}' was deleted; undo that before collapsing":
        "조각 '{node}'가 지워졌습니다. 접기 전에 지운 것을 되돌리세요",
    "its pieces are not what {op} expands into": "조각들이 {op}을(를) 펼친 것과 다릅니다",
    "connect logits and target before expanding (the pieces depend on their shapes)":
        "펼치기 전에 logits와 target을 연결하세요 (조각이 그 모양에 따라 달라집니다)",
    "only one-hot targets expand (target of the logits' shape); class indices have no primitive":
        "원-핫 목표값(로짓과 같은 모양)만 펼칠 수 있습니다. 클래스 번호를 고르는 기본 연산은 없습니다",
    "a second group named '{group}'": "같은 이름의 그룹이 또 있습니다: '{group}'",
    "'{op}' is not a layer that expands (these do: {ops})":
        "'{op}'은(는) 펼칠 수 있는 층이 아닙니다 (펼칠 수 있는 것: {ops})",
    "expected an input of {op} ({ports}) and a list of whole numbers ≥ 0":
        "{op}의 입력({ports}) 이름과 0 이상의 정수 목록이어야 합니다",
    "expected an object of piece keys and node ids": "조각 이름과 노드 아이디로 된 객체여야 합니다",
    "expected the pieces {keys} of {op}, in that order": "{op}의 조각 {keys}가 이 순서로 있어야 합니다",
    "'{node}' is a piece of group '{group}' too": "'{node}'는 그룹 '{group}'의 조각이기도 합니다",
    "names a node of the file; a group's id is its collapsed layer's":
        "파일에 있는 노드의 아이디입니다. 그룹의 아이디는 접으면 돌아올 층의 아이디여야 합니다",
    "groups nested in a cycle": "그룹들이 순환하며 서로를 품고 있습니다",
    # graph files
    "expected an object": "객체(JSON object)여야 합니다",
    "missing field '{key}'": "필드가 없습니다: '{key}'",
    "missing field 'value' ({op} nodes hold a number or a nested list of numbers)":
        "필드가 없습니다: 'value' ({op} 노드는 수 또는 수의 중첩 목록을 값으로 가집니다)",
    "expected {msg}": "{msg} 값이어야 합니다",
    "str": "문자열", "int": "정수", "list": "목록(JSON 배열)", "dict": "객체(JSON object)", "float": "실수",
    "bool": "참/거짓", "a value of another kind": "다른 종류의",
    "expected a JSON object at the top level": "맨 바깥은 JSON 객체여야 합니다",
    "field 'format' must be \"{fmt}\" (is this a Backprop Studio graph?)":
        "필드 'format'은 \"{fmt}\"이어야 합니다 (역전파 스튜디오 그래프 파일이 맞나요?)",
    "written by a newer Backprop Studio (format version {v}; this program reads up to {max})":
        "더 새로운 역전파 스튜디오로 저장한 파일입니다 (형식 버전 {v}, 이 프로그램은 {max}까지 읽습니다)",
    "field 'version' must be a positive integer": "필드 'version'은 양의 정수여야 합니다",
    "expected [x, y], two finite numbers": "[x, y] 형태의 유한한 수 두 개여야 합니다",
    "expected a number or a nested list of numbers, not {msg}": "수 또는 수의 중첩 목록이어야 합니다 (받은 것: {msg})",
    "text": "텍스트", "an object": "객체", "true/false": "참/거짓", "null": "null", "this": "다른 종류의 값",
    "JSON nested deeper than {n} levels ({where})": "JSON의 중첩이 {n}단계보다 깊습니다 ({where})",
    "not valid JSON ({where}: {msg})": "올바른 JSON이 아닙니다 ({where}: {msg})",
    "Expecting value": "값이 와야 합니다",
    "Expecting property name enclosed in double quotes": "큰따옴표로 감싼 속성 이름이 와야 합니다",
    "Expecting '{ch}' delimiter": "'{ch}' 구분 기호가 와야 합니다",
    "Unterminated string starting at": "닫히지 않은 문자열이 시작됩니다",
    "Invalid control character at": "잘못된 제어 문자가 있습니다",
    "Invalid \\escape": "잘못된 \\ 이스케이프입니다",
    "Invalid \\uXXXX escape": "잘못된 \\uXXXX 이스케이프입니다",
    "Unexpected UTF-8 BOM (decode using utf-8-sig)": "파일 맨 앞에 UTF-8 BOM이 있습니다",
    "Extra data": "JSON 값 뒤에 남는 데이터가 있습니다",
    "no example named '{name}' (see: python main.py examples)":
        "이런 이름의 예제가 없습니다: '{name}' (목록: python main.py examples)",
    # graph file meta
    "got {value}; expected {msg}": "쓸 수 없는 값입니다: {value} (필요한 값: {msg})",
    "got {value}; an unknown field may hold text only (known: {fields})":
        "알 수 없는 필드에는 텍스트만 넣을 수 있습니다: {value} (알려진 필드: {fields})",
    "text without unpaired surrogates": "짝 없는 서로게이트 문자가 없는 텍스트",
    "{{\"en\": text, \"ko\": text}} (either may be left out)": "{{\"en\": 텍스트, \"ko\": 텍스트}} (둘 중 하나는 생략 가능)",
    "text or a finite number": "텍스트 또는 유한한 수",
    "an object with x, y, task, init, characters, window, order": "x, y, task, init, characters, window, order를 가진 객체",
    "a whole number": "정수",
    "one of {items}": "다음 중 하나: {items}",
    "{{\"kind\": name, ...settings}}": "{{\"kind\": 이름, ...설정}}",
    "a finite number > 0 and ≤ {max}": "0보다 크고 {max} 이하인 유한한 수",
    # values
    "{text} is not a number or a JSON array": "수나 JSON 배열이 아닙니다: {text}",
    "{text} is not a number": "수가 아닙니다: {text}",
    "{text} is not a number (true/false are not numbers)": "수가 아닙니다: {text} (true/false는 수가 아닙니다)",
    "{text} is not a number or a rectangular array of numbers": "수 또는 직사각형 모양의 수 배열이 아닙니다: {text}",
    "values must be finite numbers (no NaN or infinity, magnitude at most {max})":
        "값은 유한한 수여야 합니다 (NaN이나 무한대는 안 되며, 크기는 최대 {max})",
    "more than {n} dimensions (a value has at most {m})": "차원이 {n}개보다 많습니다 (값은 최대 {m}차원)",
    "more than {n} numbers (a value holds at most {m})": "수가 {n}개보다 많습니다 (값 하나에 최대 {m}개)",
    "a number of magnitude above {max} (the largest a value can hold)":
        "크기가 {max}보다 큰 수가 있습니다 (값이 담을 수 있는 최대 크기)",
    "nested deeper than {n} levels ({where}) (a value has at most {m} dimensions)":
        "중첩이 {n}단계보다 깊습니다 ({where}) (값은 최대 {m}차원)",
    "nested deeper than {n} levels ({where})": "중첩이 {n}단계보다 깊습니다 ({where})",
    # expressions
    "expression is empty": "식이 비어 있습니다",
    "expression is too long: {n} characters (at most {m})": "식이 너무 깁니다: {n}자 (최대 {m}자)",
    "{op}() takes {n} argument(s) ({names}), got {m}": "{op}()에는 인자 {n}개({names})가 필요한데 {m}개가 주어졌습니다",
    "name '{name}' has no value (give one with --set {set}=...)":
        "이름 '{name}'에 값이 없습니다 (--set {set}=... 으로 값을 주세요)",
    "name '{name}' has no shape (give one with --shape {set}=...)":
        "이름 '{name}'에 모양(shape)이 없습니다 (--shape {set}=... 으로 모양을 주세요)",
    "the exponent of ** must be a number": "** 의 지수는 수여야 합니다",
    "unknown function '{f}' (known: {known})": "알 수 없는 함수입니다: '{f}' (쓸 수 있는 함수: {known})",
    "unknown function '{f}' (a call needs a function name, e.g. sigmoid(x))":
        "알 수 없는 함수입니다: '{f}' (호출하려면 함수 이름이 필요합니다. 예: sigmoid(x))",
    "{f}() has no option '{name}'": "{f}()에 없는 옵션입니다: '{name}'",
    "option '{name}' must be a literal (a number, a list of numbers, True, False, None or a string)":
        "옵션 '{name}'의 값은 리터럴이어야 합니다 (수, 수의 목록, True, False, None 또는 문자열)",
    "each statement must be NAME = EXPRESSION (the last may be a bare expression)":
        "각 문장은 이름 = 식 형태여야 합니다 (마지막 문장은 식만 써도 됩니다)",
    "'{name}' is assigned twice": "같은 이름에 두 번 대입했습니다: '{name}'",
    "no such name in the expression": "식에 이런 이름이 없습니다",
    "leading zeros in '{tok}' are not allowed (write {fix})": "수 앞에 0을 붙일 수 없습니다: '{tok}' (이렇게 쓰세요: {fix})",
    "the number {num} has {n} digits, more than a float can hold (at most about {max})":
        "수 {num}의 자릿수가 {n}개로, 실수가 담을 수 있는 범위를 넘습니다 (최대 약 {max})",
    "unexpected character {ch}": "예상하지 못한 문자입니다: {ch}",
    "unexpected character {ch}; did you mean '{plain}'?": "예상하지 못한 문자입니다: {ch}; 혹시 '{plain}' 아닌가요?",
    "invalid number '{num}' (numbers are decimal, like 2, 0.5 or 1e-3)":
        "잘못된 수입니다: '{num}' (수는 2, 0.5, 1e-3처럼 십진수로 씁니다)",
    "this string is never closed (on the same line)": "문자열이 같은 줄 안에서 닫히지 않았습니다",
    "a name cannot contain {ch}": "이름에 쓸 수 없는 문자입니다: {ch}",
    "a name cannot contain {ch}; did you mean '{plain}'?": "이름에 쓸 수 없는 문자입니다: {ch}; 혹시 '{plain}' 아닌가요?",
    "name '{name}' has full-width or compatibility characters; type '{fix}'":
        "이름 '{name}'에 전각 문자나 호환 문자가 있습니다. 이렇게 입력하세요: '{fix}'",
    "invalid string {s}": "잘못된 문자열입니다: {s}",
    "cannot assign to {t}": "대입할 수 없는 대상입니다: {t}",
    "'(' was never closed": "여는 괄호 '('가 닫히지 않았습니다",
    "unmatched ')'": "짝이 없는 닫는 괄호 ')'입니다",
    "',' outside a function call": "함수 호출 밖에 쉼표 ','가 있습니다",
    "a tuple '(a, b)' is not supported here": "여기서는 튜플 '(a, b)'를 쓸 수 없습니다",
    "'{t}' is not supported here": "여기서는 쓸 수 없습니다: '{t}'",
    "'{t}' is not supported here ({msg})": "여기서는 쓸 수 없습니다: '{t}' ({msg})",
    "lists are only option values, e.g. sum(x, axis=[0, 1])": "목록은 옵션 값으로만 쓸 수 있습니다. 예: sum(x, axis=[0, 1])",
    "the operators are + - * / @ **": "연산자는 + - * / @ ** 입니다",
    "the only attribute is .T, the transpose": "쓸 수 있는 속성은 전치(transpose) .T 하나뿐입니다",
    "expected a name, a number or '(', found {msg}": "이름, 수 또는 '('가 와야 하는데 다른 것이 있습니다: {msg}",
    "expected an operator, found {msg}": "연산자가 와야 하는데 다른 것이 있습니다: {msg}",
    "expected a name after '.', found {msg}": "'.' 뒤에는 이름이 와야 하는데 다른 것이 있습니다: {msg}",
    "expected ',' or ')' after option '{name}', found {msg}":
        "옵션 '{name}' 뒤에는 ',' 또는 ')'가 와야 하는데 다른 것이 있습니다: {msg}",
    "the end of the expression": "식의 끝",
    "the end of the statement": "문장의 끝",
    "'{t}'": "'{t}'",
    "brackets are nested more than {n} deep": "괄호가 {n}단계보다 깊게 중첩되어 있습니다",
    "positional argument follows keyword argument": "위치 인자는 키워드 인자 뒤에 올 수 없습니다",
    "option '{name}' is given twice": "옵션이 두 번 주어졌습니다: '{name}'",
    # files on disk
    "no such file": "파일이 없습니다",
    "cannot be read ({msg})": "읽을 수 없습니다 ({msg})",
    "cannot be written ({msg})": "쓸 수 없습니다 ({msg})",
    "cannot be written (no folder {folder})": "쓸 수 없습니다 (없는 폴더: {folder})",
    "cannot be written (no free temporary name in {folder})": "쓸 수 없습니다 (폴더 {folder}에 쓸 수 있는 임시 파일 이름이 없습니다)",
    "cannot be written (no folder, or its lock is taken)": "쓸 수 없습니다 (폴더가 없거나 다른 창이 잠금을 쥐고 있습니다)",
    "is {msg}, not a regular file; not read": "일반 파일이 아니라 {msg}입니다. 읽지 않았습니다",
    "is {msg}, not a regular file; not replaced": "일반 파일이 아니라 {msg}입니다. 덮어쓰지 않았습니다",
    "a folder": "폴더", "a FIFO (named pipe)": "FIFO(이름 있는 파이프)", "a character device": "문자 장치",
    "a block device": "블록 장치", "a socket": "소켓", "not a regular file": "특수 파일",
    "too large ({msg_size}; the limit is {msg_limit})": "파일이 너무 큽니다 ({msg_size}, 한도 {msg_limit})",
    "too large (grew past the limit of {msg} while read)": "파일이 너무 큽니다 (읽는 동안 한도 {msg}를 넘었습니다)",
    "{n} bytes": "{n}바이트",
    "{n} MiB": "{n} MiB",
    "not UTF-8 text (byte {byte} at line {line}, column {col})":
        "UTF-8 텍스트가 아닙니다 ({line}번째 줄 {col}번째 열의 바이트 {byte})",
    "not saved (interrupted by signal {sig})": "저장하지 않았습니다 (신호 {sig}에 의해 중단됨)",
    "not a file name (empty, or ends in a folder separator)": "파일 이름이 아닙니다 (비어 있거나 폴더 구분자로 끝납니다)",
    # operating system reasons (strerror)
    "No such file or directory": "파일이나 폴더가 없습니다",
    "Permission denied": "권한이 없습니다",
    "Is a directory": "폴더입니다",
    "Not a directory": "경로 중간에 폴더가 아닌 것이 있습니다",
    "Read-only file system": "읽기 전용 파일 시스템입니다",
    "No space left on device": "저장 장치에 남은 공간이 없습니다",
    "Disk quota exceeded": "디스크 할당량을 넘었습니다",
    "File name too long": "파일 이름이 너무 깁니다",
    "Too many levels of symbolic links": "심볼릭 링크가 너무 많이 이어져 있습니다",
    "Operation not permitted": "허용되지 않는 작업입니다",
    "Invalid argument": "잘못된 인자입니다",
    "Input/output error": "입출력 오류입니다",
    "File exists": "파일이 이미 있습니다",
    "Device or resource busy": "장치나 자원이 사용 중입니다",
    "Text file busy": "실행 중인 파일이라 쓸 수 없습니다",
    # command line
    "a value is not finite (NaN or infinity)": "유한하지 않은 값이 있습니다 (NaN 또는 무한대)",
    "expected NAME=VALUE": "이름=값 형태여야 합니다",
    "the name is given twice": "같은 이름이 두 번 주어졌습니다",
    "the optimizer is given twice": "같은 최적화 기법이 두 번 주어졌습니다",
    "'{name}' trains on its own inputs as one batch; the option applies to a data set (--data)":
        "'{name}'은(는) 자체 입력값을 한 배치로 학습합니다. 이 옵션은 데이터 세트(--data)에 쓰입니다",
    "it cuts a CSV time series into windows; give the CSV with --data":
        "CSV 시계열을 창으로 자르는 옵션입니다. --data로 CSV 파일을 주세요",
    "column '{name}' spans more than 1.8e308, too wide to scale; use --scale none":
        "열 '{name}'의 값 범위가 1.8e308을 넘어 스케일링할 수 없습니다. --scale none을 쓰세요",
    "give either a graph (example or file) or --expr, not both": "그래프(예제나 파일)와 --expr 중 하나만 주세요",
    "trace needs an example name, a graph file, or --expr (see: python main.py examples)":
        "trace에는 예제 이름, 그래프 파일 또는 --expr가 필요합니다 (예제 목록: python main.py examples)",
    "--set works with --expr; to change a file's values, edit it in the app":
        "--set은 --expr와 함께만 쓸 수 있습니다. 파일의 값을 바꾸려면 앱에서 고치세요",
    "the SGD update with lr = {lr} is not finite (NaN or infinity); try a smaller --lr":
        "lr = {lr}일 때 SGD 갱신 값이 유한하지 않습니다 (NaN 또는 무한대). 더 작은 --lr을 써 보세요",
    "the file name is empty": "파일 이름이 비어 있습니다",
    "is a folder; give a file name, e.g. {path}": "폴더입니다. 파일 이름을 주세요 (예: {path})",
    "the folder {path} does not exist": "없는 폴더입니다: {path}",
    "its numbers would go to {path}, the picture itself; give a .png name":
        "그림의 수치가 {path}에 저장되어 그림 자체를 덮어씁니다. 이름을 .png로 주세요",
    "its numbers would go to {path}, the data set being read; give another name":
        "그림의 수치가 {path}에 저장되어 읽고 있는 데이터 세트를 덮어씁니다. 다른 이름을 주세요",
    "expected WIDTHxHEIGHT, e.g. 1600x1000": "너비x높이 형태여야 합니다 (예: 1600x1000)",
    "cannot write {text} (an unpaired surrogate is not text UTF-8 can store); fix the label in the file":
        "출력할 수 없는 문자입니다: {text} (짝 없는 서로게이트는 UTF-8로 저장할 수 없습니다). 파일에서 이름표를 고치세요",
    "interrupted": "중단되었습니다",
    # the array backend (--backend, Run → Backend)
    "CuPy backend unavailable: {reason}; using numpy": "CuPy 백엔드를 쓸 수 없습니다 ({reason}). numpy로 계속합니다",
    "CuPy backend unavailable: no CUDA device; using numpy":
        "CuPy 백엔드를 쓸 수 없습니다 (CUDA 장치가 없습니다). numpy로 계속합니다",
    "CuPy backend unavailable: {reason}": "CuPy 백엔드를 쓸 수 없습니다: {reason}",
    # argparse's own messages (Python 3.11)
    "(see: {prog} --help)": "(도움말: {prog} --help)",
    "argument {arg}: invalid choice: {value} (choose from {choices})":
        "인자 {arg}: 고를 수 없는 값입니다: {value} (고를 수 있는 값: {choices})",
    "argument {arg}: invalid {msg} value: {value}": "인자 {arg}: 올바른 {msg} 값이 아닙니다: {value}",
    "argument {arg}: expected one argument": "인자 {arg}: 값 하나가 필요합니다",
    "argument {arg}: ignored explicit argument {value}": "인자 {arg}: 값을 받지 않는 옵션입니다: {value}",
    "the following arguments are required: {args}": "다음 인자가 필요합니다: {args}",
    "unrecognized arguments: {args}": "알 수 없는 인자입니다: {args}",
    "ambiguous option: {opt} could match {opts}": "모호한 옵션입니다: {opt} (가능한 옵션: {opts})",
    # pictures
    "each side must be {low}..{high} pixels": "각 변은 {low}..{high} 픽셀이어야 합니다",
    "out of range; this graph's steps are 0..{last}": "범위를 벗어났습니다 (이 그래프의 단계: 0..{last})",
    "a {w}x{h} picture could not be encoded as PNG": "{w}x{h} 그림을 PNG로 인코딩할 수 없습니다",
    # animations (graphapp/ui/animate.py)
    "an animation is written as .gif or .mp4, not {suffix}":
        "애니메이션은 .gif 또는 .mp4로만 저장합니다 (받은 확장자: {suffix})",
    "an animation is written as .gif or .mp4, not a name without one":
        "애니메이션은 .gif 또는 .mp4로만 저장합니다 (파일 이름에 확장자가 없습니다)",
    "must be {low}..{high}": "{low}..{high} 범위여야 합니다",
    "a GIF shows at most {n} frames a second; use .mp4": "GIF는 초당 최대 {n}프레임까지만 보여 줍니다. .mp4를 쓰세요",
    "must be 0 or more": "0 이상이어야 합니다",
    "an MP4 needs even sides, e.g. {size}": "MP4는 가로와 세로가 짝수여야 합니다 (예: {size})",
    "expected one of {choices}": "다음 중 하나여야 합니다: {choices}",
    "no steps (the first comes after the last)": "단계가 없습니다 (시작 단계가 끝 단계보다 뒤에 있습니다)",
    "{n} frames, more than {limit}; animate fewer steps (--from, --to) or hold less":
        "프레임이 {n}개로 한도 {limit}개를 넘습니다. 단계를 줄이거나(--from, --to) --hold를 줄이세요",
    "{n} pictures of {size} are too large for a GIF (at most {limit} at this size); use a smaller size or .mp4":
        "{size} 그림 {n}장은 GIF로 만들기에 너무 큽니다 (이 크기에서는 최대 {limit}장). 크기를 줄이거나 .mp4를 쓰세요",
    # training: options and data sets
    "unknown setting '{key}' (it has: {keys})": "없는 설정입니다: '{key}' (있는 설정: {keys})",
    "setting '{key}' must be a number, not {value}": "설정 '{key}': 수여야 합니다 (받은 값: {value})",
    "setting '{key}' must be ≥ 0, not {value}": "설정 '{key}': 0 이상이어야 합니다 (받은 값: {value})",
    "setting '{key}' must be in [{low}, {high}), not {value}": "설정 '{key}': [{low}, {high}) 범위여야 합니다 (받은 값: {value})",
    "setting '{key}' must be in [{low}, {high}], not {value}": "설정 '{key}': [{low}, {high}] 범위여야 합니다 (받은 값: {value})",
    "setting 'fan' must be 'in' or 'avg', not {value}": "설정 'fan'은 'in' 또는 'avg'여야 합니다 (받은 값: {value})",
    "setting 'low' must not exceed 'high'": "설정 'low'는 'high'보다 클 수 없습니다",
    "nesterov needs a momentum > 0 and zero dampening": "nesterov를 쓰려면 momentum이 0보다 크고 dampening이 0이어야 합니다",
    "unknown optimizer '{name}' (choose one of: {names})": "알 수 없는 최적화기입니다: '{name}' (고를 수 있는 것: {names})",
    "unknown initializer '{name}' (choose one of: {names})": "알 수 없는 초기화 방법입니다: '{name}' (고를 수 있는 것: {names})",
    "unknown activation '{name}' (choose one of: {names})": "알 수 없는 활성화 함수입니다: '{name}' (고를 수 있는 것: {names})",
    "unknown template '{name}' (choose one of: {names})": "알 수 없는 모델 틀입니다: '{name}' (고를 수 있는 것: {names})",
    "unknown task '{name}' (choose one of: {names})": "알 수 없는 작업 종류입니다: '{name}' (고를 수 있는 것: {names})",
    "unknown scaling '{name}' (choose one of: {names})": "알 수 없는 스케일링입니다: '{name}' (고를 수 있는 것: {names})",
    "the digits data set is missing from this installation ({path}: {reason})":
        "이 설치본에는 digits 데이터 세트가 없습니다 ({path}: {reason})",
    "data set size must be between 4 and 1,000,000, not {n}": "데이터 세트 크기는 4부터 1,000,000까지여야 합니다 (받은 값: {n})",
    "noise must be ≥ 0, not {value}": "noise는 0 이상이어야 합니다 (받은 값: {value})",
    "unknown data set '{name}' (built in: {names}; or the path of a CSV file)":
        "알 수 없는 데이터 세트입니다: '{name}' (내장: {names}; 또는 CSV 파일 경로)",
    "a class target must hold whole numbers (found {value})": "클래스 목표값은 정수여야 합니다 (찾은 값: {value})",
    "a classification needs at least 2 classes (all rows are {value})":
        "분류에는 클래스가 2개 이상 필요합니다 (모든 행의 값: {value})",
    "test fraction must be in [0, 1), not {value}": "테스트 비율은 [0, 1) 범위여야 합니다 (받은 값: {value})",
    "test fraction {value} leaves no training rows out of {n}": "테스트 비율이 {value}이면 {n}개 행 중 학습용 행이 남지 않습니다",
    "rows to predict need {n} values each ({names}); got shape {shape}":
        "예측할 각 행에는 값 {n}개({names})가 필요합니다 (받은 모양: {shape})",
    "is a folder, not a CSV file": "CSV 파일이 아니라 폴더입니다",
    "not a regular file (a pipe or device cannot be a data set)": "일반 파일이 아닙니다 (파이프나 장치는 데이터 세트가 될 수 없습니다)",
    "not a text file (byte {n} is not UTF-8)": "텍스트 파일이 아닙니다 ({n}번째 바이트가 UTF-8이 아닙니다)",
    "cannot read ({msg})": "읽을 수 없습니다 ({msg})",
    "{n} values under a header of {m} columns": "머리글은 {m}개 열인데 값이 {n}개입니다",
    "{n} values where line {line} has {m} (every row needs the same number of columns)":
        "값이 {n}개인데 {line}번째 줄에는 {m}개가 있습니다 (모든 행의 열 수가 같아야 합니다)",
    "is empty": "비어 있습니다",
    "'{text}' is not a finite number": "유한한 수가 아닙니다: '{text}'",
    "no data rows (the file is empty or holds only comments and a header)":
        "데이터 행이 없습니다 (파일이 비어 있거나 주석과 머리글만 있습니다)",
    "target column '{name}' does not exist (columns: {names})": "없는 목표 열입니다: '{name}' (열: {names})",
    "target column {n} does not exist (the file has {m} columns, numbered 1 to {k})":
        "없는 목표 열입니다: {n} (이 파일의 열은 {m}개, 번호는 1부터 {k}까지)",
    "one column only: a data set needs at least one feature and a target":
        "열이 하나뿐입니다. 데이터 세트에는 특성 열 하나 이상과 목표 열이 필요합니다",
    "data input '{name}' ({role}) is not a node of the graph": "데이터 입력 '{name}' ({role}): 그래프에 이런 노드가 없습니다",
    "data input '{name}' ({role}) is not a node of the graph (two nodes have that label)":
        "데이터 입력 '{name}' ({role}): 같은 이름표의 노드가 둘 있어 정할 수 없습니다",
    "node '{node}' is a {op} node; the {role} data must feed an input node":
        "노드 '{node}': {op} 노드입니다. {role} 데이터는 입력 노드에 넣어야 합니다",
    "a test set needs a training set": "테스트 세트를 쓰려면 학습 세트가 필요합니다",
    "the graph has no parameter nodes to train": "그래프에 학습할 매개변수 노드가 없습니다",
    "training needs one scalar output (the loss); the graph has {n}: {names}":
        "학습에는 스칼라 출력(손실) 하나가 필요합니다. 이 그래프의 출력은 {n}개입니다: {names}",
    "training needs a scalar loss; output '{node}' has shape {shape} (end the graph with a loss, or a sum or mean)":
        "학습에는 스칼라 손실이 필요합니다. 출력 '{node}'의 모양은 {shape}입니다 (그래프를 손실, sum 또는 mean으로 끝내세요)",
    "node '{node}' takes rows of {shape} values; the data has {n} features":
        "노드 '{node}': 행마다 모양 {shape}의 값을 받는데 데이터의 특성은 {n}개입니다",
    "batch size must be ≥ 1, not {n}": "배치 크기는 1 이상이어야 합니다 (받은 값: {n})",
    "give either steps or epochs, not both": "steps와 epochs 중 하나만 주세요",
    "steps and epochs must be ≥ 1": "steps와 epochs는 1 이상이어야 합니다",
    "node '{node}' takes targets of shape {shape} per row; '{name}' has {has}":
        "노드 '{node}': 행마다 모양 {shape}의 목표값을 받는데 '{name}'의 모양은 {has}입니다",
    "the graph's loss '{node}' is not one of {names}: it has no prediction to read":
        "그래프의 손실 '{node}': {names} 중 하나가 아니라서 읽을 예측값이 없습니다",
    "hidden layer sizes must be ≥ 1, not {sizes}": "은닉층 크기는 1 이상이어야 합니다 (받은 값: {sizes})",
    "{name} needs a data set with classes; '{data}' is {task}": "{name}에는 클래스가 있는 데이터 세트가 필요합니다 ('{data}'의 작업: {task})",
    "{name} needs a data set with two classes (0/1); '{data}' is {task}":
        "{name}에는 클래스가 두 개(0/1)인 데이터 세트가 필요합니다 ('{data}'의 작업: {task})",
    "linear_regression needs a numeric target; '{data}' is {task} (use logistic_regression or softmax_classifier)":
        "linear_regression에는 수치 목표값이 필요합니다 ('{data}'의 작업: {task}; logistic_regression이나 "
        "softmax_classifier를 쓰세요)",
    "a CNN template needs square images; '{name}' has {n} features, not {c}·H·H pixels":
        "CNN 템플릿에는 정사각형 이미지가 필요합니다. '{name}'의 특징은 {n}개로 {c}·H·H 화소가 아닙니다",
    # the training lab: race, plots and the train command (graphapp/core/analysis, graphapp/cli_lab.py)
    "the model has no conv2d node; filters and feature maps need a CNN (such as lenet_digits)":
        "모델에 conv2d 노드가 없습니다. 필터와 특징 맵에는 CNN(예: lenet_digits)이 필요합니다",
    "no node has that id or label (conv layers: {names})":
        "그 아이디나 이름표를 가진 노드가 없습니다 (합성곱 층: {names})",
    "filters belong to a conv2d node, not a {op} node (conv layers: {names})":
        "필터는 {op} 노드가 아니라 conv2d 노드에 있습니다 (합성곱 층: {names})",
    "feature maps need a node of shape (N, C, H, W); '{node}' has {shape}":
        "특징 맵에는 모양이 (N, C, H, W)인 노드가 필요합니다. '{node}'의 모양은 {shape}입니다",
    "the test rows are 0..{last}": "테스트 행 번호는 0..{last}입니다",
    "the training rows are 0..{last}": "학습 행 번호는 0..{last}입니다",
    "the graph's own batch has rows 0..{last}": "그래프 자체 배치의 행 번호는 0..{last}입니다",
    "expected a number of rows ≥ 1, or 'full'": "1 이상의 행 수 또는 'full'이어야 합니다",
    "must be {low}..{high}, not {value}": "{low}..{high} 범위여야 합니다 (받은 값: {value})",
    "each size must be {low}..{high}": "각 크기는 {low}..{high} 범위여야 합니다",
    "expected X,Y, e.g. {example}": "X,Y 형태여야 합니다 (예: {example})",
    "each coordinate must be a finite number": "각 좌표는 유한한 수여야 합니다",
    "give -o FILE.png (or --json)": "-o FILE.png(또는 --json)를 주세요",
    "expected sizes separated by commas, e.g. {example}": "쉼표로 구분한 크기여야 합니다 (예: {example})",
    "not JSON; expected rows such as {example}": "JSON이 아닙니다. {example} 같은 행 목록이어야 합니다",
    "expected a list of rows of {n} numbers each, e.g. {example}":
        "행마다 수가 {n}개인 행 목록이어야 합니다 (예: {example})",
    "expected a list of rows of numbers, all of one length, e.g. {example}":
        "길이가 모두 같은, 수로 된 행 목록이어야 합니다 (예: {example})",
    "only mlp, xor_net and the recurrent templates have hidden layers; '{name}' has none":
        "은닉층은 mlp, xor_net과 순환 신경망 모델 틀에만 있습니다 ('{name}'에는 없음)",
    "only mlp lets you choose; '{name}' has its own": "mlp에서만 고를 수 있습니다 ('{name}': 정해져 있음)",
    "only a template takes it ({names}); '{name}' is a graph":
        "모델 틀({names})에만 쓸 수 있습니다 ('{name}': 그래프)",
    "'{name}' has a numeric target ({target}); {model} needs classes":
        "'{name}'의 목표값({target})은 수치입니다. {model}에는 클래스가 필요합니다",
    "'{name}' is not in the race (add it to --optimizers)": "경주에 없는 최적화기입니다: '{name}' (--optimizers에 넣으세요)",
    "the learning rate must be a positive number, not {value}": "학습률은 양수여야 합니다 (받은 값: {value})",
    "an optimizer is named twice": "같은 최적화기가 두 번 있습니다",
    "f is undefined at ({x}, {y}) (outside the function's domain)":
        "({x}, {y})에서 f가 정의되지 않습니다 (함수의 정의역 밖)",
    "f({x}, {y}) or its gradient is not a finite number (the path diverged)":
        "f({x}, {y}) 또는 그 기울기가 유한한 수가 아닙니다 (경로가 발산했습니다)",
    "the update from ({x}, {y}) is not finite (the path diverged)":
        "({x}, {y})에서의 갱신값이 유한한 수가 아닙니다 (경로가 발산했습니다)",
    "name '{name}' is not x or y (a race function has only x and y)":
        "이름 '{name}': x도 y도 아닙니다 (경주 함수에는 x와 y만 쓸 수 있습니다)",
    "it uses neither x nor y": "x도 y도 쓰지 않습니다",
    "its value must be one number, not shape {shape}": "값이 수 하나여야 합니다 (받은 모양: {shape})",
    "must be a number ≥ 0, not {value}": "0 이상의 수여야 합니다 (받은 값: {value})",
    "unknown kind '{name}' (choose one of: {names})": "알 수 없는 종류입니다: '{name}' (고를 수 있는 것: {names})",
    "needs a training path of at least 3 points that moves the parameters":
        "매개변수를 움직인 학습 경로(점 3개 이상)가 필요합니다",
    "a decision boundary needs data with 2 features; this data has {n}":
        "결정 경계에는 특성이 2개인 데이터가 필요합니다 (이 데이터의 특성: {n}개)",
    "a decision boundary needs a classifier; '{name}' is a regression":
        "결정 경계에는 분류 모델이 필요합니다 ('{name}': 회귀)",
    "a confusion matrix needs a classifier; '{name}' is a regression":
        "혼동 행렬에는 분류 모델이 필요합니다 ('{name}': 회귀)",
    # regularization: batch_norm's shapes, early stopping, the mlp's settings
    "batch_norm takes rows of features (N, D) or images (N, C, H, W); '{src}' has {shape}":
        "batch_norm은 특성의 행 (N, D) 또는 이미지 (N, C, H, W)를 정규화합니다. '{src}'의 모양은 {shape}입니다",
    "{port} '{src}' has {shape}; one value per feature of '{x}' {xs} is {want}":
        "{port} '{src}'의 모양은 {shape}입니다. '{x}' {xs}의 특성마다 값 하나씩이면 모양 {want}입니다",
    "{port} '{src}' has {shape}; one value per channel of '{x}' {xs} is {want}":
        "{port} '{src}'의 모양은 {shape}입니다. '{x}' {xs}의 채널마다 값 하나씩이면 모양 {want}입니다",
    "validation fraction must be in [0, 1), not {x}": "검증 비율은 [0, 1) 안에 있어야 합니다 (받은 값: {x})",
    "patience must be a whole number ≥ 1, not {x}": "patience는 1 이상의 정수여야 합니다 (받은 값: {x})",
    "early stopping (patience) needs a validation fraction above 0":
        "조기 종료(patience)에는 0보다 큰 검증 비율이 필요합니다",
    "a validation split needs a training set": "검증 세트를 나누려면 학습 세트가 필요합니다",
    "a validation split needs at least 2 training rows; '{name}' has {n}":
        "검증 세트를 나누려면 학습 행이 2개 이상 필요합니다 ('{name}'의 행: {n}개)",
    "{port} comes from '{src}', a {op} node; it must be a constant node (the trainer updates it)":
        "{port}에 연결된 노드 '{src}' ({op}): 상수 노드여야 합니다 (트레이너가 갱신합니다)",
    "batch normalization needs at least 2 rows in every batch; a batch size of {b} for {n} rows leaves a batch of 1":
        "배치 정규화에는 배치마다 행이 2개 이상 필요합니다 (행 {n}개, 배치 크기 {b}: 행이 1개인 배치가 남습니다)",
    "dropout must be a probability from 0 to 0.99, not {x}": "dropout은 0부터 0.99까지의 확률이어야 합니다 (받은 값: {x})",
    "l2 (λ) must be a number from 0 to 1e6, not {x}": "l2 (λ)는 0부터 1e6까지의 수여야 합니다 (받은 값: {x})",
    "dropout, batch normalization and L2 are settings of the mlp template, not of '{name}'":
        "dropout, 배치 정규화, L2는 mlp 템플릿의 설정입니다 ('{name}'에는 없습니다)",
    # layers: convolution, pooling, flatten, dense; `info`
    "'valid', 'same' or a whole number of zeros from 0 to {n}": "'valid', 'same' 또는 0부터 {n}까지의 정수(0을 채울 칸 수)",
    "{op} takes x of shape (N, C, H, W); '{src}' has {shape}":
        "{op}의 입력 x는 모양 (N, C, H, W)여야 합니다. '{src}'의 모양은 {shape}입니다",
    "conv2d takes W of shape (C_out, C_in, kh, kw); '{src}' has {shape}":
        "conv2d의 W는 모양 (C_out, C_in, kh, kw)여야 합니다. '{src}'의 모양은 {shape}입니다",
    "W '{w}' {ws} has {n} input channels; x '{x}' {xs} has {m}":
        "W '{w}' {ws}의 입력 채널은 {n}개인데 x '{x}' {xs}의 채널은 {m}개입니다",
    "bias '{src}' has {shape}; one per filter of '{w}' is {want}":
        "편향 '{src}'의 모양은 {shape}입니다. '{w}'의 필터마다 하나씩이면 모양 {want}입니다",
    "input '{port}' ('{src}' {shape}) holds no numbers; {op} needs at least one":
        "입력 '{port}' ('{src}' {shape})에 수가 하나도 없습니다. {op}에는 적어도 하나가 필요합니다",
    "its output {shape} would hold {terms} = {n} numbers; a value holds at most {m}":
        "출력 {shape}의 수가 {terms} = {n}개가 됩니다. 값 하나에는 최대 {m}개까지 담을 수 있습니다",
    "its value {shape} would hold {terms} = {n} numbers; a value holds at most {m}":
        "값 {shape}의 수가 {terms} = {n}개가 됩니다. 값 하나에는 최대 {m}개까지 담을 수 있습니다",
    "its output {shape} has a side of {n}; a side is at most {m}":
        "출력 {shape}에 길이 {n}인 축이 있습니다. 한 축의 길이는 최대 {m}입니다",
    "its output {shape} would hold {terms} numbers, more than 2^62 = {m}; no machine holds that":
        "출력 {shape}의 수가 {terms}개로 2^62 = {m}개보다 많습니다. 어떤 컴퓨터도 담을 수 없습니다",
    "the shape has a side of {n}; a side is at most {m}":
        "모양에 길이 {n}인 축이 있습니다. 한 축의 길이는 최대 {m}입니다",
    "the shape would hold {terms} numbers, more than 2^62 = {m}; no machine holds that":
        "모양의 수가 {terms}개로 2^62 = {m}개보다 많습니다. 어떤 컴퓨터도 담을 수 없습니다",
    "{op} lays out its windows as N·H_out·W_out·C·kh·kw = {terms} = {n} numbers; at most {m}":
        "{op}의 창들을 펼치면(im2col) N·H_out·W_out·C·kh·kw = {terms} = {n}개의 수가 됩니다. 최대 {m}개입니다",
    "--seed {seed}: expected a whole number ≥ 0": "--seed {seed}: 0 이상의 정수여야 합니다",
    "{op} unrolls over the time steps of x with the hidden size of W_h; connect input '{port}' first":
        "{op}을(를) 펼치려면 x의 시간 단계와 W_h의 은닉 크기가 필요합니다. 먼저 입력 '{port}'를 연결하세요",
    "{op} takes x (N, T, F) and W_h (H, k·H); got x {xs} and W_h {ws}":
        "{op}에는 x (N, T, F)와 W_h (H, k·H)가 필요합니다. 받은 것: x {xs}, W_h {ws}",
    "unrolling T = {t} time steps would draw a cell for each; at most {m} steps unroll":
        "T = {t}개의 시간 단계를 펼치면 단계마다 셀을 그려야 합니다. 최대 {m}단계까지 펼칠 수 있습니다",
    "{op} runs T = {t} time steps; at most {m}": "{op}의 시간 단계가 T = {t}개입니다. 최대 {m}개입니다",
    "{op} keeps T·N·{k}·H = {terms} = {n} numbers for backprop through time; at most {m}":
        "{op}은(는) 시간 역전파(BPTT)를 위해 T·N·{k}·H = {terms} = {n}개의 수를 저장해야 합니다. 최대 {m}개입니다",
    "the window {f} is larger than the height {h} + 2·{p}": "창 크기 {f}가 패딩을 더한 높이 {h} + 2·{p}보다 큽니다",
    "the window {f} is larger than the width {h} + 2·{p}": "창 크기 {f}가 패딩을 더한 너비 {h} + 2·{p}보다 큽니다",
    "output height {calc} = {v} is not a whole number; stride {s} does not fit":
        "출력 높이 {calc} = {v}: 정수가 아닙니다. 스트라이드 {s}이(가) 맞지 않습니다",
    "output width {calc} = {v} is not a whole number; stride {s} does not fit":
        "출력 너비 {calc} = {v}: 정수가 아닙니다. 스트라이드 {s}이(가) 맞지 않습니다",
    "flatten keeps the batch axis and needs at least 2 axes; '{src}' has {shape}":
        "flatten은 배치 축을 남기므로 축이 2개 이상 필요합니다. '{src}'의 모양은 {shape}입니다",
    "dense takes x (N, D_in), W (D_in, D_out) and b (D_out,); got '{x}' {xs}, '{w}' {ws} and '{b}' {bs}":
        "dense에는 x (N, D_in), W (D_in, D_out), b (D_out,)가 필요합니다. 받은 것: '{x}' {xs}, '{w}' {ws}, '{b}' {bs}",
    "expected NAME=SIZES, whole numbers ≥ 1 separated by commas, e.g. {example}":
        "이름=크기 형태여야 합니다. 크기는 쉼표로 구분한 1 이상의 정수입니다 (예: {example})",
    "give either a graph (example or file) or --expr with --shape, not both":
        "그래프(예제나 파일)와 --expr 중 하나만 주세요 (--expr에는 --shape를 함께 줍니다)",
    "info needs an example name, a graph file, or --expr with --shape":
        "info에는 예제 이름, 그래프 파일, 또는 --expr와 --shape가 필요합니다",
    "--shape works with --expr": "--shape는 --expr와 함께 씁니다",
    # layers: embedding, one-hot, the residual connection
    "embedding takes W of shape (V, D), one row per index; '{src}' has {shape}":
        "embedding의 W는 인덱스마다 한 행인 모양 (V, D)여야 합니다. '{src}'의 모양은 {shape}입니다",
    "input {port} = {x} (from '{src}') is outside its domain idx is a row index 0, 1, …, V − 1 (V = the rows of W)":
        "입력 {port} = {x} (노드 '{src}'의 출력): 정의역을 벗어났습니다 (조건: idx는 행 번호 0, 1, …, V − 1, V = W의 행 수)",
    "input {port} = {x} (from '{src}') is outside its domain idx is a class index 0, 1, …, C − 1 "
    "(C = num_classes = {c})":
        "입력 {port} = {x} (노드 '{src}'의 출력): 정의역을 벗어났습니다 (조건: idx는 클래스 번호 0, 1, …, C − 1, "
        "C = num_classes = {c})",
    "a residual connection adds x '{x}' {xs} and F(x) '{f}' {fs}; the skip connection needs equal shapes "
    "(no broadcasting)":
        "잔차 연결은 x '{x}' {xs}와 F(x) '{f}' {fs}를 더합니다. 스킵 연결에는 같은 모양이 필요합니다 (브로드캐스트 없음)",
    # sequences: time-series windows, the recurrent templates and their pictures (graphapp/core/train/sequences.py)
    "the window must be a whole number of rows from {low} to {high}, not {value}":
        "창(window)은 {low}부터 {high}까지의 정수 행 수여야 합니다 (받은 값: {value})",
    "unknown row order '{name}' (choose one of: {names})": "알 수 없는 행 순서입니다: '{name}' (고를 수 있는 것: {names})",
    "{n} rows leave {m} for training, too few for windows of {w} rows (at least {k} are needed: a window and "
    "the row it predicts)":
        "행 {n}개 중 학습용은 {m}개뿐이라 {w}행짜리 창을 만들 수 없습니다 (창 하나와 그다음 예측할 행까지 적어도 {k}개가 "
        "필요합니다)",
    "a recurrent layer's size must be a whole number from {low} to {high}, not {value}":
        "순환층의 크기는 {low}부터 {high}까지의 정수여야 합니다 (받은 값: {value})",
    "{name} needs a data set (--data), e.g. the lab's {file}":
        "{name}에는 데이터 세트(--data)가 필요합니다 (예: 실습의 {file})",
    "{name} needs a data set (--data)": "{name}에는 데이터 세트(--data)가 필요합니다",
    "{name} needs a data set": "{name}에는 데이터 세트가 필요합니다",
    "{name} brings its own data; leave --data out": "{name}은(는) 자체 데이터를 씁니다. --data를 빼세요",
    "{name} predicts a number; '{data}' is {task}": "{name}은(는) 수치를 예측합니다 ('{data}'의 작업: {task})",
    "{name}: {n} features do not split into windows of {w} rows ({n2} / {w2} is not a whole number)":
        "{name}: 특성 {n}개를 {w}행짜리 창으로 나눌 수 없습니다 ({n2} / {w2}가 정수가 아닙니다)",
    "{name} has one recurrent layer; give one size, e.g. {example}":
        "{name}의 순환층은 하나입니다. 크기 하나를 주세요 (예: {example})",
    "{name} has one hidden layer; give one size, e.g. {example}":
        "{name}의 은닉층은 하나입니다. 크기 하나를 주세요 (예: {example})",
    "'{name}' starts its weights as PyTorch's recurrent layers do":
        "'{name}'의 가중치는 PyTorch 순환층과 같은 방식으로 초기화됩니다",
    "--predict needs a data set (--data): the graph was trained on its own inputs":
        "--predict에는 데이터 세트(--data)가 필요합니다. 이 그래프는 자체 입력값으로 학습했습니다",
    "a predicted-against-true series needs a time series with a test span (a stock template or --window, and a "
    "test fraction above 0)":
        "예측값과 실제값 비교에는 테스트 구간이 있는 시계열이 필요합니다 (주가 모델 틀이나 --window, 그리고 0보다 큰 "
        "테스트 비율)",
    "row {i} does not exist (the rows are 0 to {n})": "{i}번 행이 없습니다 (행 번호는 0부터 {n}까지)",
    "the model has no recurrent node (rnn, lstm or gru) whose hidden state could be shown":
        "모델에 은닉 상태를 보여 줄 순환 노드(rnn, lstm, gru)가 없습니다",
}


@dataclass(frozen=True)
class _Template:
    pattern: re.Pattern[str]
    ko: str
    literal: str  # the longest literal piece: a fast `in` test before the regular expression runs
    weight: int  # literal characters: the most specific template is tried first


def _compile(en: str, ko: str) -> _Template:
    parts, seen, literals = [], set(), []
    for text, name, _, _ in string.Formatter().parse(en):
        parts.append(re.escape(text))
        literals.append(text)
        if name is None:
            continue
        if name in seen:  # the same data twice ("--set {name}=...")
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>.*?)")
    return _Template(re.compile("".join(parts), re.DOTALL), ko, max(literals, key=len), sum(map(len, literals)))


def _table(entries: dict[str, str]) -> list[_Template]:
    return sorted((_compile(en, ko) for en, ko in entries.items()), key=lambda t: -t.weight)


_MESSAGES = _table(MESSAGES)
# A template that starts with user data ("{op} has no value") is tried after the places are split off,
# or its first field would swallow them ("expression, column 3: sum").
_LEADING = [t for t in _MESSAGES if t.pattern.pattern.startswith("(?P<")]
_FIXED = [t for t in _MESSAGES if t not in _LEADING]
_PLACES = _table(PLACES)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


# A translation and the inner parts no template matched (kept in English), or None: nothing matched.
_Result = tuple[str, tuple[str, ...]] | None


def _fill(t: _Template, m: re.Match[str], memo: dict[str, _Result], strict: bool) -> _Result:
    values, missing = {}, ()
    for name, value in m.groupdict().items():
        if name.startswith("msg"):
            inner = _message(value, memo)
            if inner is None or (strict and inner[1]):
                if strict:
                    return None
                inner = (value, (value,)) if inner is None else inner
            values[name], missing = inner[0], missing + inner[1]
        else:
            values[name] = _place(value) if name.startswith("where") else value
    return t.ko.format(**values), missing


def _match(templates: list[_Template], text: str, memo: dict[str, _Result], strict: bool) -> _Result:
    for t in templates:
        if t.literal in text:
            m = t.pattern.fullmatch(text)
            if m:
                out = _fill(t, m, memo, strict)
                if out is not None:
                    return out
    return None


def _place(text: str) -> str:
    translated = _match(_PLACES, text, {}, strict=True)
    return text if translated is None else translated[0]


def _split(text: str, memo: dict[str, _Result], strict: bool) -> _Result:
    """A place, ": ", and a message, trying each ": " from the left; first those outside quotes, as
    user data may hold one too ("node 'a: b'")."""
    cuts = [m.start() for m in re.finditer(": ", text)]
    for i in sorted(cuts, key=lambda i: text.count("'", 0, i) % 2):
        rest = _message(text[i + 2:], memo)
        if rest is not None and not (strict and rest[1]):
            return f"{_place(text[:i])}: {rest[0]}", rest[1]
    return None


def _message(text: str, memo: dict[str, _Result]) -> _Result:
    """Whole translations first; one that leaves an inner part in English only where none is whole."""
    if text in memo:
        return memo[text]
    memo[text] = None  # a guard while this text is being worked out
    out = None
    for strict in (True, False):
        out = (out or _match(_FIXED, text, memo, strict) or _split(text, memo, strict)
               or _match(_LEADING, text, memo, strict))
    memo[text] = out
    return out


def translate(message: str) -> tuple[str | None, tuple[str, ...]]:
    """The Korean message (None when nothing matched) and the inner parts left in English."""
    out = _message(message, {})
    return (None, ()) if out is None else out


def localize(message: str, lang: str) -> str:
    """The message in `lang` ("en" or "ko"); English where the catalogue has no template for it."""
    if lang != "ko":
        return message
    korean, _ = translate(message)
    return message if korean is None else korean


def has_hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None
