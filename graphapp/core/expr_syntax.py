"""Expression text to a small syntax tree: a regex tokenizer and a shunting-yard parser with explicit stacks.

Nothing here recurses, so the size of an expression is bounded only by MAX_CHARS (and bracket nesting by
MAX_DEPTH, Python's own limit), and both phases are linear in the length of the text. The grammar is the
Python subset the lectures use: `NAME = EXPR` statements separated by ';' or new lines, + - * / @ with
Python's precedence, ** with a number as exponent, unary + and -, parentheses, `x.T`, and calls
`f(a, b, key=literal)`. A '#' comment runs to the end of its statement (the next ';' or line); new
lines inside brackets, or after a backslash, continue the statement. Meaning (which names and functions
exist) is left to graphapp.core.expr.
"""
from __future__ import annotations

import ast
import keyword
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import Any

from graphapp.core.errors import ExpressionError

MAX_CHARS = 1_000_000
MAX_DIGITS = 4300  # Python's int() limit for decimal text
MAX_DEPTH = 200  # brackets nested deeper than this are refused, as Python's own parser does
NOT_LITERAL = object()  # an option value that is not a literal; reported by the builder, after the option name

_DIGITS = r"[0-9](?:_?[0-9])*"
_EXP = rf"(?:[eE][+-]?{_DIGITS})"
_TOKEN = re.compile(rf"""
    (?P<skip>[ \t]+|\\(?:\r\n|\r|\n)|\#[^;\r\n]*)
  | (?P<num>(?:{_DIGITS})?\.{_DIGITS}{_EXP}?|{_DIGITS}\.?{_EXP}?)(?P<junk>\w+)?
  | (?P<name>[^\W\d]\w*)
  | (?P<str>'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<sep>;|\r\n|\r|\n)
  | (?P<op>\*\*|//|==|!=|<=|>=|<<|>>|->|:=|[-+*/@%&|^~<>=()\[\]{{}},.:!])
  | (?P<bad>.)
""", re.VERBOSE | re.DOTALL)
_ODD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # control characters, lone surrogates
_BINARY = {"+": ("add", 1), "-": ("sub", 1), "*": ("mul", 2), "/": ("div", 2), "@": ("matmul", 2)}
_UNARY, _POW = 3, 4  # precedences: unary minus binds tighter than * but looser than ** on its right
_SYNTAX = {*_BINARY, "**", ")", ",", "."}  # known, just misplaced: "invalid syntax" rather than "not supported"
_CONSTANTS = {"True": True, "False": False, "None": None}
_UNSUPPORTED_HINT = {"[": "lists are only option values, e.g. sum(x, axis=[0, 1])"}


@dataclass(slots=True)
class Token:
    kind: str  # name, num, str, op, sep, end
    text: str
    pos: int
    value: Any = None


@dataclass(slots=True, eq=False)
class Expr:
    """A syntax node. kind: name, num, lit (True/None/a string), pos (unary +), neg, bin, pow, T, call."""

    kind: str
    pos: int  # index into the text where this expression starts
    text: str = ""  # the name, the op of a bin node, the function of a call
    value: Any = None  # num/lit value, pow exponent (None: not a number), call options [(name, value, pos)]
    args: list[Expr] = field(default_factory=list)
    signed: bool = False  # a num folded from -3 or +3: a second sign makes it an expression again
    at: int = 0  # pow: where the exponent starts (for its error)


@dataclass(slots=True)
class Statement:
    target: str | None  # None: a bare expression
    pos: int
    expr: Expr


def where(text: str, pos: int) -> str:
    """'column N' (1-based, in characters), with the line when the text has several."""
    line_start = text.rfind("\n", 0, pos) + 1
    column = pos - line_start + 1
    if "\n" not in text:
        return f"column {column}"
    return f"line {text.count(chr(10), 0, pos) + 1}, column {column}"


def fail(text: str, pos: int, message: str) -> ExpressionError:
    return ExpressionError(f"expression, {where(text, pos)}: {message}")


def describe_char(ch: str) -> str:
    """A character for a message: never the raw character when it is not printable (it may not even encode)."""
    shown = f"'{ch}' (U+{ord(ch):04X})" if ch.isprintable() else f"U+{ord(ch):04X}"
    plain = unicodedata.normalize("NFKC", ch)
    return f"{shown}; did you mean '{plain}'?" if plain != ch and plain.isascii() and plain.isprintable() else shown


def number(text: str, token: str, pos: int) -> int | float:
    """A number literal as Python reads it: ints exact, floats possibly infinite (1e400).

    Whether a float64 can hold it is for the graph to say (a constant's value, an option's check), as for
    numbers from files; only digits beyond what int() converts (4,300) are refused here.
    """
    digits = token.replace("_", "")
    if not digits.isdigit():
        return float(digits)
    if len(digits) > 1 and digits.strip("0") and digits[0] == "0":
        raise fail(text, pos, f"leading zeros in '{token}' are not allowed (write {digits.lstrip('0')})")
    if len(digits) > MAX_DIGITS:
        raise fail(text, pos, f"the number {token[:10]}…{token[-6:]} has {len(digits):,} digits, more than a "
                              f"float can hold (at most about 1.8e308)")
    return int(digits)


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_CHARS:
        raise ExpressionError(f"expression is too long: {len(text):,} characters (at most {MAX_CHARS:,})")
    odd = _ODD.search(text)
    if odd:
        raise fail(text, odd.start(), f"unexpected character {describe_char(odd.group())}")
    tokens: list[Token] = []
    depth = 0  # open brackets: new lines inside them join lines, as in Python
    for m in _TOKEN.finditer(text):
        kind, pos = m.lastgroup, m.start()
        if kind == "junk":
            raise fail(text, pos, f"invalid number '{m.group()}' (numbers are decimal, like 2, 0.5 or 1e-3)")
        if kind == "skip":
            continue
        tok = m.group(kind)
        if kind == "num":
            tokens.append(Token("num", tok, pos, number(text, tok, pos)))
        elif kind == "name":
            tokens.append(Token("name", tok, pos, _name(text, tok, pos)))
        elif kind == "str":
            tokens.append(Token("str", tok, pos, _string(text, tok, pos)))
        elif kind == "sep":
            if tok == ";" or depth <= 0:
                tokens.append(Token("sep", tok, pos))
        elif kind == "op":
            depth += (tok in "([{") - (tok in ")]}")
            tokens.append(Token("op", tok, pos))
        elif tok in "'\"":
            raise fail(text, pos, "this string is never closed (on the same line)")
        else:
            raise fail(text, pos, f"unexpected character {describe_char(tok)}")
    tokens.append(Token("end", "", len(text)))
    return tokens


def _name(text: str, tok: str, pos: int) -> str:
    if not tok.isascii():
        bad = next((c for i, c in enumerate(tok) if not tok[:i + 1].isidentifier()), None)
        if bad is not None:
            raise fail(text, pos, f"a name cannot contain {describe_char(bad)}")
        if unicodedata.normalize("NFKC", tok) != tok:  # Python would silently read 'ｘ' as 'x'
            raise fail(text, pos, f"name '{tok}' has full-width or compatibility characters; "
                                  f"type '{unicodedata.normalize('NFKC', tok)}'")
    return tok


def _string(text: str, tok: str, pos: int) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unknown escape like '\d' is a mistake here, not a warning
        try:
            return ast.literal_eval(tok)  # one string token: no nesting, so no recursion
        except (SyntaxError, ValueError, Warning):
            raise fail(text, pos, f"invalid string {tok[:20]}") from None


def _container(open_container: list[Any]) -> Any:
    """[..] is a list, (..) a tuple (a parenthesized single value never gets here)."""
    closer, items = open_container[0], open_container[1]
    return items if closer == "]" else tuple(items)


def parse(text: str) -> tuple[list[Statement], set[str]]:
    """The statements, and every name the text uses (generated node ids must avoid them)."""
    parser = _Parser(text)
    return parser.statements(), {t.text for t in parser.toks if t.kind == "name"}


@dataclass(slots=True)
class _Frame:
    """An entry of the operator stack: an operator waiting for operands, or an open bracket (a marker)."""

    kind: str  # bin, neg, pos, pow, group, call
    pos: int
    prec: int = 0
    op: str = ""  # bin: the op name; call: the function name
    base: int = 0  # call: where its arguments start on the operand stack
    options: list[tuple[str, Any, int]] = field(default_factory=list)
    callee: int = 0  # call: where the function name starts


class _Parser:
    """Shunting-yard: operands wait on `out` as [expr, start, end] (source span, parentheses included),
    operators and open brackets on `ops`; an operator is applied when one that binds less tightly arrives."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokenize(text)
        self.i = 0
        self.depth = 0  # open brackets in the expression being read
        self.out: list[list[Any]] = []
        self.ops: list[_Frame] = []

    def fail(self, pos: int, message: str) -> ExpressionError:
        return fail(self.text, pos, message)

    def at(self, offset: int, kind: str, texts: tuple[str, ...]) -> bool:
        tok = self.toks[self.i + offset]
        return tok.kind == kind and tok.text in texts

    def what(self, tok: Token) -> str:
        if tok.kind == "end":
            return "the end of the expression"
        return "the end of the statement" if tok.kind == "sep" else f"'{tok.text}'"

    def statements(self) -> list[Statement]:
        out: list[Statement] = []
        while self.toks[self.i].kind != "end":
            tok = self.toks[self.i]
            if tok.kind == "sep":
                self.i += 1
                continue
            target = None
            if tok.kind == "name" and self.at(1, "op", ("=",)):
                if keyword.iskeyword(tok.text):
                    raise self.fail(tok.pos, f"cannot assign to {tok.text}")
                target, self.i = tok.value, self.i + 2
            out.append(Statement(target, tok.pos, self.expression(tok.pos)))
        return out

    def expression(self, stmt: int) -> Expr:
        """One expression up to the end of its statement; self.i ends on the separator or the end."""
        self.out, self.ops = [], []
        operand = True  # expecting an operand (else an operator, a postfix, or the end)
        while True:
            tok = self.toks[self.i]
            if not operand and tok.kind in ("sep", "end"):
                while self.ops:
                    if self.ops[-1].kind in ("group", "call"):
                        raise self.fail(self.ops[-1].pos, "'(' was never closed")
                    self.reduce(self.ops.pop())
                return self.out[0][0]
            operand = not self.operand(tok, stmt) if operand else self.operator(tok, stmt)

    def operand(self, tok: Token, stmt: int) -> bool:
        """Read at a place that needs an operand; True when one is complete (an operator may follow)."""
        ops, out = self.ops, self.out
        if ops and ops[-1].kind == "call" and self.at(-1, "op", ("(", ",")):
            if self.argument_start(ops[-1]):  # read up to the call's ')'
                self.close(ops.pop(), self.toks[self.i - 1])
                return True
            tok = self.toks[self.i]
        self.i += 1
        end = tok.pos + len(tok.text)
        if tok.kind == "op" and tok.text in ("+", "-"):
            ops.append(_Frame("neg" if tok.text == "-" else "pos", tok.pos, _UNARY))
            return False
        if tok.kind == "op" and tok.text == "(":
            self.open(tok)
            ops.append(_Frame("group", tok.pos))
            return False
        if tok.kind == "num":
            out.append([Expr("num", tok.pos, value=tok.value), tok.pos, end])
        elif tok.kind == "str" or (tok.kind == "name" and tok.text in _CONSTANTS):
            value = tok.value if tok.kind == "str" else _CONSTANTS[tok.text]
            out.append([Expr("lit", tok.pos, value=value), tok.pos, end])
        elif tok.kind == "name":
            if keyword.iskeyword(tok.text):
                raise self.fail(tok.pos, f"'{tok.text}' is not supported here")
            out.append([Expr("name", tok.pos, tok.value), tok.pos, end])
        elif tok.kind == "op" and tok.text not in _SYNTAX:
            raise self.unsupported(tok, stmt)
        else:
            raise self.fail(tok.pos, f"invalid syntax: expected a name, a number or '(', found {self.what(tok)}")
        return True

    def operator(self, tok: Token, stmt: int) -> bool:
        """Read after a complete operand; True when an operand must follow."""
        ops, out = self.ops, self.out
        if tok.kind != "op":
            raise self.fail(tok.pos, f"invalid syntax: expected an operator, found {self.what(tok)}")
        self.i += 1
        if tok.text in _BINARY or tok.text == "**":
            name, prec = _BINARY.get(tok.text, ("pow", _POW))
            # Left-associative: equal precedence applies first; ** is right-associative and above unary minus.
            while ops and ops[-1].prec and (ops[-1].prec > prec or (ops[-1].prec == prec and prec != _POW)):
                self.reduce(ops.pop())
            ops.append(_Frame("pow" if prec == _POW else "bin", tok.pos, prec, name))
            return True
        if tok.text == ".":
            self.attribute()
            return False
        if tok.text == "(":
            self.open(tok)
            expr, start, end = out.pop()
            if expr.kind != "name":
                raise self.fail(start, f"unknown function '{self.text[start:end]}' (a call needs a function name, "
                                       "e.g. sigmoid(x))")
            ops.append(_Frame("call", tok.pos, op=expr.text, base=len(out), callee=start))
            return True
        if tok.text not in (")", ","):
            raise self.unsupported(tok, stmt)
        while ops and ops[-1].kind not in ("group", "call"):
            self.reduce(ops.pop())
        if not ops:
            raise self.fail(tok.pos, "unmatched ')'" if tok.text == ")" else
                            "invalid syntax: ',' outside a function call")
        if tok.text == ",":
            if ops[-1].kind == "group":
                raise self.fail(ops[-1].pos, "a tuple '(a, b)' is not supported here")
            return True
        self.close(ops.pop(), tok)
        return False

    def unsupported(self, tok: Token, stmt: int) -> ExpressionError:
        if tok.text == "=":
            return self.fail(stmt, "each statement must be NAME = EXPRESSION (the last may be a bare expression)")
        hint = _UNSUPPORTED_HINT.get(tok.text, "the operators are + - * / @ **")
        return self.fail(tok.pos, f"'{tok.text}' is not supported here ({hint})")

    def open(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(tok.pos, f"brackets are nested more than {MAX_DEPTH} deep")

    def reduce(self, frame: _Frame) -> None:
        """Apply an operator to the operands on top of `out`."""
        out = self.out
        if frame.kind in ("neg", "pos"):
            entry = out[-1]
            inner: Expr = entry[0]
            if inner.kind == "num" and not inner.signed:  # -3 is a number, as for ast.literal_eval
                entry[0] = Expr("num", frame.pos, value=-inner.value if frame.kind == "neg" else inner.value,
                                signed=True)
            else:
                entry[0] = Expr(frame.kind, frame.pos, args=[inner])
            entry[1] = frame.pos
            return
        right, left = out.pop(), out[-1]
        if frame.kind == "pow":
            exponent = right[0].value if right[0].kind == "num" else None
            left[0] = Expr("pow", left[1], value=exponent, args=[left[0]], at=right[0].pos)
        else:
            left[0] = Expr("bin", left[1], frame.op, args=[left[0], right[0]])
        left[2] = right[2]

    def close(self, frame: _Frame, tok: Token) -> None:
        """The ')' of a group (the operand's span grows to include it) or of a call (the call is built)."""
        self.depth -= 1
        out = self.out
        if frame.kind == "group":
            out[-1][1], out[-1][2] = frame.pos, tok.pos + 1
            return
        args = [entry[0] for entry in out[frame.base:]]
        del out[frame.base:]
        out.append([Expr("call", frame.callee, frame.op, frame.options, args), frame.callee, tok.pos + 1])

    def attribute(self) -> None:
        tok, entry = self.toks[self.i], self.out[-1]
        if tok.kind != "name":
            raise self.fail(tok.pos, f"invalid syntax: expected a name after '.', found {self.what(tok)}")
        self.i += 1
        end = tok.pos + len(tok.text)
        if tok.text != "T":
            raise self.fail(entry[1], f"'{self.text[entry[1]:end]}' is not supported here "
                                      "(the only attribute is .T, the transpose)")
        entry[0], entry[2] = Expr("T", entry[1], args=[entry[0]]), end

    def argument_start(self, frame: _Frame) -> bool:
        """At the start of a call argument: read ')' or keyword options; True when the call's ')' was read."""
        while True:
            tok = self.toks[self.i]
            if self.at(0, "op", (")",)):  # f() or a trailing comma, f(a,)
                self.i += 1
                return True
            if not (tok.kind == "name" and self.at(1, "op", ("=",))):
                if frame.options:
                    raise self.fail(tok.pos, "positional argument follows keyword argument")
                return False
            if any(name == tok.text for name, _, _ in frame.options):
                raise self.fail(tok.pos, f"option '{tok.text}' is given twice")
            self.i += 2
            frame.options.append((tok.text, self.literal(), tok.pos))
            after = self.toks[self.i]
            if not self.at(0, "op", (",", ")")):
                raise self.fail(after.pos, f"invalid syntax: expected ',' or ')' after option '{tok.text}', "
                                           f"found {self.what(after)}")
            self.i += 1
            if after.text == ")":
                return True

    def literal(self) -> Any:
        """An option value: a number, True/False/None, a string, or nested lists/tuples of them.

        Anything else gives NOT_LITERAL, with the tokens skipped up to the ',' or ')' that ends the value.
        As in ast.literal_eval, one sign may precede a number, also a parenthesized one: -(1).
        """
        toks, start = self.toks, self.i
        stack: list[list[Any]] = []  # open containers [closer, items, saw a comma] and signs ["-"] / ["+"]
        while True:
            tok = toks[self.i]
            self.i += 1
            signed = False
            if tok.kind == "op" and tok.text in ("+", "-"):
                if stack and stack[-1][0] in ("+", "-"):
                    return self.skip_value(start)
                stack.append([tok.text])
                continue
            if tok.kind == "op" and tok.text in ("[", "("):
                if self.depth + len(stack) >= MAX_DEPTH:
                    raise self.fail(tok.pos, f"brackets are nested more than {MAX_DEPTH} deep")
                stack.append(["]" if tok.text == "[" else ")", [], False])
                if not (toks[self.i].kind == "op" and toks[self.i].text == stack[-1][0]):
                    continue
                self.i += 1
                value: Any = _container(stack.pop())
            elif tok.kind == "num":
                value = tok.value
            elif tok.kind == "str" or (tok.kind == "name" and tok.text in _CONSTANTS):
                value = tok.value if tok.kind == "str" else _CONSTANTS[tok.text]
            else:
                return self.skip_value(start)
            while True:  # after a value: apply a sign, close containers, or go on after a comma
                if stack and stack[-1][0] in ("+", "-"):
                    if signed or isinstance(value, bool) or not isinstance(value, (int, float)):
                        return self.skip_value(start)
                    value, signed = (-value if stack.pop()[0] == "-" else value), True
                    continue
                tok = toks[self.i]
                if not stack:
                    return value if tok.kind == "op" and tok.text in (",", ")") else self.skip_value(start)
                closer, items, _ = top = stack[-1]
                if tok.kind != "op" or tok.text not in (",", closer):
                    return self.skip_value(start)
                self.i += 1
                if tok.text == "," or closer == "]" or top[2]:
                    items.append(value)
                    signed = False
                if tok.text == ",":
                    top[2] = True
                    if not (toks[self.i].kind == "op" and toks[self.i].text == closer):
                        break
                    self.i += 1
                elif closer == ")" and not top[2]:  # (v): just v, still signed or not
                    stack.pop()
                    continue
                value = _container(stack.pop())
                signed = False

    def skip_value(self, start: int) -> Any:
        """Skip a non-literal option value up to the ',' or ')' that ends it (brackets balanced)."""
        toks, depth = self.toks, 0
        self.i = start
        while True:
            tok = toks[self.i]
            if tok.kind in ("sep", "end") or (depth == 0 and tok.text in ",)" and tok.kind == "op"):
                return NOT_LITERAL
            if tok.kind == "op":
                depth += (tok.text in "([{") - (tok.text in ")]}")
            self.i += 1
