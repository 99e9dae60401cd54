"""`python -m ccformer COMMAND ...`: one entry point, each command in its own module under `ccformer.commands`.

A command module defines `HELP: str`, `add_arguments(parser)` and `run(args) -> int`. Modules are imported
lazily so that `ccformer score` does not pay for importing onnxruntime, and a broken optional dependency of one
command cannot break the others.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

COMMANDS: dict[str, str] = {
    "export": "ccformer.commands.export",
    "bench": "ccformer.commands.bench",
    "train": "ccformer.commands.train",
    "evaluate": "ccformer.commands.evaluate",
    "score": "ccformer.commands.score",
    "synth": "ccformer.commands.synth",
    "logmel": "ccformer.commands.logmel",
    "add-logmel": "ccformer.commands.add_logmel",
    "ablate": "ccformer.commands.ablate",
    "demo-model": "ccformer.commands.demo_model",
    "study": "ccformer.commands.study",
    "profile": "ccformer.commands.profile",
}


class CommandError(Exception):
    """A user-facing failure: printed as one line `ccformer: error: ...`, exit code 2."""


def _available() -> dict[str, str]:
    return {name: mod for name, mod in COMMANDS.items() if importlib.util.find_spec(mod) is not None}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = _available()
    parser = argparse.ArgumentParser(prog="ccformer", description="CCFormer audio-visual segmentation")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    # Only the chosen command's module is imported; the others get a stub entry for --help.
    chosen = argv[0] if argv and argv[0] in commands else None
    for name, mod_name in commands.items():
        if name == chosen:
            mod = importlib.import_module(mod_name)
            p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
            mod.add_arguments(p)
            p.set_defaults(_run=mod.run)
        else:
            sub.add_parser(name, help=f"(see `ccformer {name} --help`)")
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except CommandError as err:
        print(f"ccformer {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"ccformer {args.command}: interrupted", file=sys.stderr)
        return 130
