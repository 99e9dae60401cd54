"""What the train / evaluate commands share: the user-error types and the config from CLI arguments."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ccformer.configs import ConfigError
from ccformer.data import DataLayoutError
from ccformer.losses import NonFiniteLossError

#: Exceptions that are the user's to fix: printed as one line by `ccformer.cli`, never as a traceback.
USER_ERRORS = (ConfigError, DataLayoutError, NonFiniteLossError, FileNotFoundError)


def add_config_arguments(p: argparse.ArgumentParser) -> None:
    """--config, --data-root and trailing `section.key=value` overrides."""
    p.add_argument("--config", help="YAML file or bundled name (s4_r50, s4_pvt_b5, ms3_*, avss_*, tiny_*)")
    p.add_argument("--data-root", help="the AVSBench subset folder (same as data.root=...)")
    p.add_argument("overrides", nargs="*", metavar="KEY=VALUE", help="dotted overrides, e.g. optim.lr=1e-4")


def override_list(args: argparse.Namespace, extra: dict[str, Any] | None = None) -> list[str]:
    """The overrides with the convenience flags folded in (flags win over YAML, overrides win over flags)."""
    items = [f"data.root={args.data_root}"] if getattr(args, "data_root", None) else []
    items += [f"{k}={v}" for k, v in (extra or {}).items() if v is not None]
    return items + list(args.overrides or [])


@contextmanager
def user_errors(command_error: Callable[[str], Exception]) -> Iterator[None]:
    """Turn USER_ERRORS into the CLI's one-line CommandError."""
    try:
        yield
    except USER_ERRORS as err:
        raise command_error(str(err).strip().splitlines()[0] if str(err).strip() else repr(err)) from err
