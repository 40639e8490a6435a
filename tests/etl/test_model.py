"""The records of a parsed report: ``fast_init`` builds the same frozen record as the
dataclass's own ``__init__`` (equal, hashable, immutable, defaults and keywords kept)."""

from __future__ import annotations

import dataclasses

import pytest

from etl.model import Check, RequestCell, TextItem, fast_init


@dataclasses.dataclass(frozen=True)
class _Plain:
    a: str
    b: float | None
    c: str = "within"


@fast_init
@dataclasses.dataclass(frozen=True)
class _Fast:
    a: str
    b: float | None
    c: str = "within"


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("x", 1.0), {}),
        (("x", None, "across"), {}),
        (("x",), {"b": 2.5}),
        ((), {"a": "y", "b": None, "c": "z"}),
    ],
)
def test_fast_init_builds_what_the_dataclass_builds(args, kwargs):
    plain, fast = _Plain(*args, **kwargs), _Fast(*args, **kwargs)
    assert dataclasses.astuple(plain) == dataclasses.astuple(fast)
    assert hash(fast) == hash(_Fast(*args, **kwargs))
    assert fast == _Fast(*args, **kwargs)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.a = "changed"  # type: ignore[misc]


def test_fast_init_missing_argument_is_an_error():
    with pytest.raises(TypeError):
        _Fast("x")  # b has no default


def test_the_report_records_keep_their_defaults_and_replace():
    check = Check("t3.balance.total", "d", 1.0, 2.0, False, "e")
    assert (check.kind, check.severity) == ("within", "error")
    assert dataclasses.replace(check, severity="warning").severity == "warning"
    cell = RequestCell("1", "本年新收", None, "总计", 3.0, "本年新收", "3", 1, 7, 12)
    assert {cell, dataclasses.replace(cell)} == {cell}
    assert TextItem("k", 1, "t", "一") == TextItem(kind="k", seq=1, text="t", section="一")
