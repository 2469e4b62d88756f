"""A plain start is parsed without the commands' parsers, and means the same as with them."""

from __future__ import annotations

import argparse
import contextlib
import io
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followthrough.cli import parser as cli_parser
from followthrough.cli.parser import build_parser, parse_arguments

# Options, a command, values, abbreviations and things that only look like options.
TOKENS = (
    "--demo",
    "--data-dir",
    "--data-dir=/srv/ft",
    "--data-dir=",
    "/srv/ft",
    "due",
    "--days",
    "3",
    "--dem",
    "--data",
    "-h",
    "--help",
    "--version",
    "-x",
    "",
    "-",
)


def outcome(parse: object, tokens: Sequence[str]) -> tuple[object, str, str]:
    """What parsing ``tokens`` leads to: the namespace or the exit code, and the output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            assert callable(parse)
            result: object = vars(parse(list(tokens)))
        except SystemExit as leaving:
            result = ("exit", leaving.code)
    return result, out.getvalue(), err.getvalue()


def whole_parser(tokens: list[str]) -> argparse.Namespace:
    return build_parser().parse_args(tokens)


@given(st.lists(st.sampled_from(TOKENS), max_size=5))
def test_any_command_line_parses_as_the_whole_parser_parses_it(tokens: list[str]) -> None:
    assert outcome(parse_arguments, tokens) == outcome(whole_parser, tokens)


@pytest.mark.parametrize(
    ("argv", "plain"),
    [
        ([], True),
        (["--demo"], True),
        (["--data-dir", "/srv/ft"], True),
        (["--data-dir=/srv/ft", "--demo"], True),
        (["--data-dir"], False),
        (["--data-dir", "--demo"], False),
        (["--dem"], False),
        (["due"], False),
        (["--data-dir", "/srv/ft", "due"], False),
        (["--help"], False),
    ],
)
def test_only_a_plain_start_skips_the_commands(
    argv: list[str], plain: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[bool] = []
    original = cli_parser.build_parser

    def recording(*, with_commands: bool = True) -> cli_parser.Parser:
        built.append(with_commands)
        return original(with_commands=with_commands)

    monkeypatch.setattr(cli_parser, "build_parser", recording)
    with contextlib.suppress(SystemExit), contextlib.redirect_stderr(io.StringIO()):
        parse_arguments(argv)
    assert built == [not plain]


def test_a_plain_start_names_no_command_and_keeps_its_options() -> None:
    args = parse_arguments(["--data-dir", "/srv/ft", "--demo"])
    assert (args.command, args.data_dir, args.demo) == (None, "/srv/ft", True)
