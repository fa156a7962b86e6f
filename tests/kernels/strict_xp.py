"""A stand-in for CuPy on a machine without a GPU: numpy behind a wall that host-only code runs into.

`strict` is an array module like numpy (`strict.exp`, `strict.asarray`, `strict.float64`, `strict.ndarray`),
but its arrays are `StrictArray`s, not numpy arrays. What works on them is what works on CuPy's: their
methods and operators, the module's own functions, `float()`/`int()`/`bool()` of a 0-d array (a device
sync), `.get()` (the copy to the host that kernels.backend.to_numpy makes). What fails is what fails on CuPy,
or would quietly copy to the host and back there:
- a numpy function or ufunc given one (`numpy.exp(a)`, `numpy.sum(a)`, `numpy.asarray(a)`): TypeError;
- a numpy array mixed with one, in an operator or a function of the module (`a + numpy.ones(3)`,
  `strict.maximum(a, host)`): TypeError, as CuPy refuses host arrays (only `asarray`/`array` take them in);
- iterating over one (`for row in a`, `list(a)`, `tuple(a)`): TypeError, as each element would be a sync.
Reductions without an axis give 0-d arrays, as CuPy's do, not numpy scalars.

This is the harness's own check: with it in place of CuPy, tests/kernels/test_xp_parity.py runs every
kernel, the executor and the trainer the way the CuPy backend will, and a host-only call fails the test here
instead of on the first GPU machine. (`array-api-strict` was the other candidate; it implements only the
array API standard, without the numpy names the kernels use — `xp.einsum`, `xp.add.at`, string dtypes,
fancy indexing — that CuPy does have, so it would refuse correct kernels.)
"""
from __future__ import annotations

import operator
import types
from typing import Any, Callable

import numpy

# The module's functions that take host data in (as cupy.asarray does); every other one refuses it.
_TAKES_HOST = frozenset({"asarray", "array", "asanyarray", "ascontiguousarray", "zeros", "ones", "full", "empty",
                         "arange", "eye", "linspace", "dtype", "result_type", "can_cast", "issubdtype"})


class StrictArray:
    """A numpy array that only the strict module and its own methods may touch."""

    __slots__ = ("_a",)
    __array_ufunc__ = None  # numpy.<ufunc>(strict) and `host_array + strict` raise TypeError

    def __init__(self, a: numpy.ndarray) -> None:
        self._a = a

    def __array__(self, *args: Any, **kwargs: Any) -> numpy.ndarray:
        raise TypeError("StrictArray: implicit conversion to a numpy array (use kernels.backend.to_numpy)")

    def __array_function__(self, func: Any, types_: Any, args: Any, kwargs: Any) -> Any:
        raise TypeError(f"StrictArray: numpy.{func.__name__} called on a device array (use the xp module)")

    def __iter__(self) -> Any:
        raise TypeError("StrictArray: iterating over a device array (one sync per element)")

    def get(self) -> numpy.ndarray:
        """The host copy, as cupy.ndarray.get() gives."""
        return self._a.copy()

    # attributes that are data, not calls
    shape = property(lambda self: self._a.shape)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    dtype = property(lambda self: self._a.dtype)
    nbytes = property(lambda self: self._a.nbytes)
    T = property(lambda self: _wrap(self._a.T))
    flags = property(lambda self: self._a.flags)
    strides = property(lambda self: self._a.strides)
    itemsize = property(lambda self: self._a.itemsize)

    def __getattr__(self, name: str) -> Any:  # methods: sum, reshape, astype, max, argmax, copy, ...
        if name.startswith("__"):  # numpy's own protocols (__array_interface__) would let numpy read it
            raise AttributeError(name)
        attr = getattr(self._a, name)
        return _wrapped(attr) if callable(attr) else _wrap(attr)

    def __len__(self) -> int:
        return len(self._a)

    def __float__(self) -> float:
        return float(self._a)

    def __int__(self) -> int:
        return int(self._a)

    def __index__(self) -> int:
        return operator.index(self._a)

    def __bool__(self) -> bool:
        return bool(self._a)

    def __complex__(self) -> complex:
        return complex(self._a)

    def __getitem__(self, key: Any) -> Any:
        return _wrap(self._a[_unwrap(key)])

    def __setitem__(self, key: Any, value: Any) -> None:
        self._a[_unwrap(key)] = _unwrap(value)

    def __repr__(self) -> str:
        return f"StrictArray({self._a!r})"

    def __hash__(self) -> int:  # unhashable, as arrays are
        raise TypeError("unhashable type: 'StrictArray'")


def _binary(op: Callable[[Any, Any], Any]) -> Callable[[StrictArray, Any], Any]:
    def method(self: StrictArray, other: Any) -> Any:
        return _wrap(op(self._a, _unwrap(other)))
    return method


def _reflected(op: Callable[[Any, Any], Any]) -> Callable[[StrictArray, Any], Any]:
    def method(self: StrictArray, other: Any) -> Any:
        return _wrap(op(_unwrap(other), self._a))
    return method


def _inplace(op: Callable[[Any, Any], Any]) -> Callable[[StrictArray, Any], StrictArray]:
    def method(self: StrictArray, other: Any) -> StrictArray:
        self._a = op(self._a, _unwrap(other))  # numpy's in-place operators return the same array
        return self
    return method


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor",
              "lshift", "rshift"):
    _op = getattr(operator, f"{_name}_" if _name in ("and", "or") else _name)
    setattr(StrictArray, f"__{_name}__", _binary(_op))
    setattr(StrictArray, f"__r{_name}__", _reflected(_op))
    setattr(StrictArray, f"__i{_name}__", _inplace(getattr(operator, f"i{_name}")))
for _name in ("lt", "le", "gt", "ge", "eq", "ne"):
    setattr(StrictArray, f"__{_name}__", _binary(getattr(operator, _name)))
for _name in ("neg", "pos", "abs", "invert"):
    setattr(StrictArray, f"__{_name}__", (lambda op: lambda self: _wrap(op(self._a)))(getattr(operator, _name)))


def _wrap(x: Any) -> Any:
    """numpy results as the device would give them: arrays and numpy scalars become StrictArrays."""
    if isinstance(x, (numpy.ndarray, numpy.generic)):
        return StrictArray(numpy.asarray(x))
    if isinstance(x, tuple):
        return tuple(_wrap(v) for v in x)
    if isinstance(x, list):
        return [_wrap(v) for v in x]
    return x


def _unwrap(x: Any, host_ok: bool = False) -> Any:
    """A StrictArray's numpy array; a host numpy array is refused unless this call takes host data in."""
    if isinstance(x, StrictArray):
        return x._a  # noqa: SLF001 - the module's own access
    if isinstance(x, numpy.ndarray) and not host_ok:
        raise TypeError("a host numpy array where a device array is needed (xp.asarray it first)")
    if isinstance(x, tuple):
        return tuple(_unwrap(v, host_ok) for v in x)
    if isinstance(x, list):
        return [_unwrap(v, host_ok) for v in x]
    return x


def _wrapped(fn: Callable[..., Any], host_ok: bool = False) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return _wrap(fn(*_unwrap(args, host_ok), **{k: _unwrap(v, host_ok) for k, v in kwargs.items()}))
    call.__name__ = getattr(fn, "__name__", "call")
    return call


class _Ufunc:
    """A numpy ufunc seen through the wall, with its methods (`xp.add.at`, `xp.maximum.reduce`)."""

    def __init__(self, ufunc: numpy.ufunc) -> None:
        self._u = ufunc
        self.__name__ = ufunc.__name__

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        out = kwargs.get("out")
        result = _wrapped(self._u)(*args, **kwargs)
        return out if isinstance(out, StrictArray) else result

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._u, name)
        if name == "at":  # in place on the first argument, which stays the same StrictArray
            return lambda a, *rest: method(_unwrap(a), *_unwrap(rest))
        return _wrapped(method) if callable(method) else method


class _Module(types.ModuleType):
    """numpy's namespace with every function behind the wall; types and constants as they are."""

    def __init__(self, name: str, inner: types.ModuleType) -> None:
        super().__init__(name)
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name == "ndarray":
            value: Any = StrictArray
        elif isinstance(attr, types.ModuleType):
            value = _Module(f"{self.__name__}.{name}", attr)
        elif isinstance(attr, numpy.ufunc):
            value = _Ufunc(attr)
        elif isinstance(attr, type) and issubclass(attr, numpy.generic):  # xp.float64: a dtype, and callable
            value = attr
        elif callable(attr) and not isinstance(attr, type):
            value = _wrapped(attr, host_ok=name in _TAKES_HOST)
        else:
            value = attr
        setattr(self, name, value)  # looked up once
        return value


strict = _Module("strict", numpy)
