from __future__ import annotations

import pytest

from ruta.lib.env import ConfigError, envbool, envint, envlist, envstr


def test_it_reads_typed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.pe, b.pe,,")
    assert envbool("X_BOOL", False) is True
    assert envint("X_INT", 1) == 42
    assert envlist("X_LIST", []) == ["a.pe", "b.pe"]
    assert envstr("X_MISSING", "d") == "d"


@pytest.mark.parametrize(("name", "value", "call"), [
    ("X_BOOL", "maybe", lambda: envbool("X_BOOL", False)),
    ("X_INT", "ten", lambda: envint("X_INT", 1)),
    ("X_INT", "70000", lambda: envint("X_INT", 1, minimum=1, maximum=65535)),
])
def test_it_fails_loudly_on_bad_values(monkeypatch: pytest.MonkeyPatch, name: str, value: str, call) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        call()


def test_it_reads_a_secret_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "pw").write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "pw"))
    assert envstr("X_SECRET", "") == "s3cret"
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="X_SECRET_FILE"):
        envstr("X_SECRET", "")
