"""`conceptmap report` end to end: real map files in tmp_path, the real command, the output
checked as a reader would (parsed JSON, parsed HTML, Markdown text) and the exit codes."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conceptmap.cli import run
from conceptmap.formats import dump_map
from conceptmap.model import ConceptMap

AS_OF = "2026-11-23"
BIN = Path(sys.executable).with_name("conceptmap")
REPO_MAPS = Path(__file__).resolve().parents[1] / "maps"


def write_map(
    folder: Path,
    name: str,
    title: str,
    *,
    contradicted: bool = False,
    labels: tuple[str, str] = ("fast delivery", "low fees"),
    source: str = "Maya, Bean There",
    quote: str = "We lost the lunch rush twice because couriers were late.",
    link: str | None = "https://example.org/notes/maya",
    extra: int = 0,
) -> Path:
    """A small valid map: a root with two propositions (one with an interview behind it);
    with ``contradicted`` a third claim three analytics items say is wrong; ``extra`` more
    unchecked claims (new gaps)."""
    m = ConceptMap.new(title, focus_question="What do café owners need?")
    root = m.add_concept("café owners", importance=5)
    a = m.add_concept(labels[0])
    b = m.add_concept(labels[1])
    m.set_meta(root=root.id)
    p1 = m.add_proposition(root.id, "value", a.id, importance=5)
    m.add_proposition(root.id, "value", b.id)
    m.add_evidence(
        p1.id,
        stance="supports",
        kind="interview",
        source=source,
        date=dt.date(2026, 11, 1),
        quote=quote,
        link=link,
    )
    if contradicted:
        c = m.add_concept("delivery apps")
        p3 = m.add_proposition(c.id, "bring", a.id)
        for i in range(3):
            m.add_evidence(
                p3.id,
                stance="contradicts",
                kind="analytics",
                source=f"dashboard {i}",
                date=dt.date(2026, 11, 10),
            )
    for i in range(extra):
        x = m.add_concept(f"extra idea {i}")
        m.add_proposition(root.id, "want", x.id, importance=5)
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(dump_map(m))
    return path


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "maps"
    write_map(folder, "cafe.cmap.json", "Cafés")
    write_map(folder / "team-b", "bakery.cmap.json", "Bakeries", contradicted=True)
    return folder


def report(args: list[str], capsys) -> tuple[int, str, str]:
    code = run(["report", *args, "--as-of", AS_OF])
    out, err = capsys.readouterr()
    return code, out, err


class Page(HTMLParser):
    """Collects tags, attributes and text of an HTML page (stdlib parser, as a browser would
    tokenise it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.text.append(data)


def parse_html(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


# ---------------------------------------------------------------------- exit codes


def test_clean_run_exits_0_and_has_a_section_per_map(portfolio: Path, capsys) -> None:
    code, out, err = report([str(portfolio), "--format", "json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema"] == "conceptmap.report/1"
    paths = [e["path"] for e in doc["maps"]]
    assert paths == [str(portfolio / "cafe.cmap.json"), str(portfolio / "team-b/bakery.cmap.json")]
    assert doc["summary"]["counts"]["contradicted"] == 1
    bakery = doc["maps"][1]
    assert [c["text"] for c in bakery["revise"]] == ["delivery apps — bring → fast delivery"]
    # the summary's counts are the sums of the maps'
    for key, total in doc["summary"]["counts"].items():
        if key != "new":
            assert total == sum(e["counts"][key] for e in doc["maps"])
    assert "report: 2 maps (2 analysed, 0 invalid)" in err


def test_fail_on_a_state_found_exits_1(portfolio: Path, capsys) -> None:
    code, out, err = report([str(portfolio), "--fail-on", "contradicted", "-f", "json"], capsys)
    assert code == 1
    assert json.loads(out)["found"] == {"contradicted": 1}
    assert "found 1 contradicted" in err
    # a state nobody has: clean
    code, out, _ = report(
        [str(portfolio / "cafe.cmap.json"), "--fail-on", "contradicted,contested"], capsys
    )
    assert code == 0
    assert "Passed: none of contradicted, contested found." in out


def test_invalid_map_is_an_error_beside_the_others_results(
    portfolio: Path, tmp_path: Path, capsys
) -> None:
    (portfolio / "broken.cmap.json").write_text('{"schema_version": 1, "id": "m-x"', "utf-8")
    for fmt in ("json", "md", "html"):
        code, out, err = report(
            [str(portfolio), "--format", fmt, "--fail-on", "contradicted"], capsys
        )
        assert code == 2, fmt  # an invalid input wins over a found state
        assert "broken.cmap.json" in err and "Traceback" not in err
        assert "Bakeries" in out and "Cafés" in out, fmt
    doc = json.loads(run_json([str(portfolio)], capsys))
    broken = [e for e in doc["maps"] if e["status"] == "error"]
    assert len(broken) == 1 and broken[0]["errors"][0].startswith(
        str(portfolio / "broken.cmap.json")
    )
    assert doc["summary"]["analysed"] == 2 and doc["summary"]["invalid"] == 1


def run_json(args: list[str], capsys) -> str:
    run(["report", *args, "--as-of", AS_OF, "--format", "json"])
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--fail-on", "sleepy"], "--fail-on 'sleepy': use one of unsupported"),
        (["--fail-on", "new"], "--fail-on new needs --baseline"),
        (["--top", "0"], "--top 0"),
        (["--format", "pdf"], "--format 'pdf'"),
        (["--as-of", "23/11/2026"], "give a date as YYYY-MM-DD"),
        (["--jobs", "0"], "--jobs 0"),
    ],
)
def test_bad_options_exit_2_in_one_line(portfolio: Path, capsys, args, expected) -> None:
    code = run(["report", str(portfolio), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1


def test_no_maps_found_and_missing_file(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty").mkdir()
    assert run(["report", str(tmp_path / "empty")]) == 2
    assert "no maps (*.cmap.json) found" in capsys.readouterr().err
    write_map(tmp_path, "ok.cmap.json", "OK")
    code, out, err = report(
        [str(tmp_path / "ok.cmap.json"), str(tmp_path / "gone.cmap.json")], capsys
    )
    assert code == 2
    assert "gone.cmap.json" in err and "OK" in out


# ---------------------------------------------------------------------- determinism


def test_reports_are_byte_identical_between_runs_and_job_counts(
    portfolio: Path, tmp_path: Path, capsys
) -> None:
    for i in range(4):
        write_map(portfolio / "more", f"m{i}.cmap.json", f"Map {i}", contradicted=i % 2 == 0)
    for fmt in ("md", "json", "html"):
        outs = []
        for jobs in ("1", "2", "2"):
            out_file = tmp_path / f"r-{fmt}-{jobs}-{len(outs)}.{fmt}"
            code = run(
                [
                    "report",
                    str(portfolio),
                    "--as-of",
                    AS_OF,
                    "--jobs",
                    jobs,
                    "-o",
                    str(out_file),
                    "--redact",
                ]
            )
            assert code == 0
            outs.append(out_file.read_bytes())
        assert outs[0] == outs[1] == outs[2], fmt
        assert capsys.readouterr().out == ""  # -o: nothing on stdout


def test_format_follows_the_output_suffix(portfolio: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "gaps.html"
    assert run(["report", str(portfolio), "-o", str(out), "--as-of", AS_OF]) == 0
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert "written to" in capsys.readouterr().err


# ---------------------------------------------------------------------- HTML


def test_html_is_one_self_contained_page(portfolio: Path, capsys) -> None:
    code, out, _ = report([str(portfolio), "--format", "html"], capsys)
    assert code == 0
    page = parse_html(out)
    assert "script" not in page.tags and "<script" not in out.lower()
    assert not {"img", "link", "iframe", "object", "embed"} & set(page.tags)
    assert all(k not in ("src", "srcset") for _, k, _ in page.attrs)
    assert not any(k.startswith("on") for _, k, _ in page.attrs)
    hrefs = [v for t, k, v in page.attrs if k == "href"]
    external = [h for h in hrefs if not h.startswith("#")]
    assert external == ["https://example.org/notes/maya"] * 2  # the evidence links only
    # no other URL anywhere: not in the CSS, not in other attributes
    assert out.count("http") == 2 + out.count("http-equiv")
    assert "url(" not in out and "@import" not in out
    text = " ".join(page.text)
    assert "✗ contradicted" in text and "? unsupported" in text  # glyph + word
    assert "@media print" in out


def test_html_on_the_repository_maps(capsys) -> None:
    code, out, err = report([str(REPO_MAPS), "--format", "html"], capsys)
    assert code == 0, err
    page = parse_html(out)
    sections = [
        v for t, k, v in page.attrs if t == "section" and k == "id" and v.startswith("map-")
    ]
    assert len(sections) == len(list(REPO_MAPS.glob("*.cmap.json"))) >= 3


# ---------------------------------------------------------------------- hostile text

HOSTILE = '<script>alert("x")</script> ](javascript:alert(1)) "quoted" \u202eevil'


def test_hostile_labels_are_inert_in_every_format(tmp_path: Path, capsys) -> None:
    write_map(
        tmp_path,
        "hostile.cmap.json",
        '<img src=x onerror=alert(1)> "T"',
        labels=(HOSTILE, "[click](javascript:alert(2))"),
        source="<b>Eve</b>",
        quote="</td></tr></table><script>alert(3)</script>",
        link="https://example.org/a?b=<c>&d='e'",
    )
    # a file name is text from outside too
    write_map(tmp_path, '<img src=x onerror="alert(4)">.cmap.json', "Named")
    # a map with an ANSI escape in a label is not valid: it shows as an error, inert too
    bad = tmp_path / "ansi.cmap.json"
    text = (tmp_path / "hostile.cmap.json").read_text("utf-8").replace("fast delivery", "x")
    bad.write_text(text.replace('"café owners"', '"\\u001b[31mred\\u001b[0m"'), "utf-8")
    for fmt in ("md", "html", "json"):
        code, out, err = report([str(tmp_path), "--format", fmt], capsys)
        assert code == 2
        assert "\x1b" not in out and "\x1b" not in err
        assert "\u202e" not in out  # a bidi override never reaches a reader raw
        if fmt != "json":  # JSON holds the text as data (checked below)
            assert "<script" not in out.lower() and "<img" not in out.lower()
        if fmt == "json":
            doc = json.loads(out)
            ok = next(e for e in doc["maps"] if e.get("title", "").startswith("<img"))
            # JSON keeps the data exactly (a program decides how to show it)
            assert "\\u202e" in out  # written as an escape, not raw
            assert any(HOSTILE in c["text"] for c in ok["gaps"])
    page = parse_html(run_html(tmp_path, capsys))
    assert "script" not in page.tags and "img" not in page.tags
    hrefs = [v for t, k, v in page.attrs if k == "href" and not v.startswith("#")]
    # decoded attributes: the two evidence links, exactly as given, and nothing else
    assert sorted(hrefs) == ["https://example.org/a?b=<c>&d='e'", "https://example.org/notes/maya"]
    text = "".join(page.text)
    assert '<script>alert("x")</script>' in text  # shown literally, as text
    md = report([str(tmp_path), "--format", "md"], capsys)[1]
    assert "[click](javascript" not in md


def run_html(folder: Path, capsys) -> str:
    run(["report", str(folder), "--as-of", AS_OF, "--format", "html"])
    return capsys.readouterr().out


# ---------------------------------------------------------------------- redaction


def test_redact_drops_quotes_and_links_and_numbers_sources_across_maps(
    tmp_path: Path, capsys
) -> None:
    write_map(tmp_path, "a.cmap.json", "A", source="Maya Example")
    write_map(tmp_path, "b.cmap.json", "B", source="Tom Other")
    write_map(tmp_path, "c.cmap.json", "C", source="Maya Example")
    for fmt in ("md", "html", "json"):
        code, out, _ = report([str(tmp_path), "--format", fmt, "--redact"], capsys)
        assert code == 0
        assert "Maya" not in out and "Tom" not in out
        assert "lunch rush" not in out and "example.org" not in out
        assert "source 1" in out and "source 2" in out and "source 3" not in out
    doc = json.loads(report([str(tmp_path), "-f", "json", "--redact"], capsys)[1])
    items = [ev for e in doc["maps"] for c in e["gaps"] for ev in c["evidence"]]
    assert [ev["source"] for ev in items] == ["source 1", "source 2", "source 1"]  # same person
    assert all("quote" not in ev and "link" not in ev for ev in items)
    plain = report([str(tmp_path), "-f", "md"], capsys)[1]
    assert "Maya Example" in plain and "lunch rush" in plain


# ---------------------------------------------------------------------- baseline


def test_baseline_new_gaps_listed_first_and_fail_only_on_them(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "maps"
    path = write_map(folder, "cafe.cmap.json", "Cafés", contradicted=True)
    base = tmp_path / "baseline.json"
    assert run(["report", str(folder), "--as-of", AS_OF, "-o", str(base)]) == 0
    capsys.readouterr()
    # nothing changed: no new gaps, even though the map has gaps and a contradicted claim
    code, out, _ = report(
        [str(folder), "--baseline", str(base), "--fail-on", "new", "-f", "json"], capsys
    )
    assert code == 0
    assert json.loads(out)["summary"]["new_gaps"] == []
    # someone adds two unchecked beliefs: exactly those are new, listed first
    from conceptmap.formats import read_map

    m = read_map(path)
    root = next(c for c in m.concepts.values() if c.label == "café owners")
    for label in ("loyalty cards", "oat milk"):
        x = m.add_concept(label)
        m.add_proposition(root.id, "want", x.id, importance=5)
    path.write_bytes(dump_map(m))
    code, out, err = report(
        [str(folder), "--baseline", str(base), "--fail-on", "new", "-f", "json"], capsys
    )
    assert code == 1
    new = json.loads(out)["summary"]["new_gaps"]
    assert sorted(g["text"] for g in new) == [
        "café owners — want → loyalty cards",
        "café owners — want → oat milk",
    ]
    assert "2 new since the baseline" in err
    code, md, _ = report([str(folder), "--baseline", str(base), "--fail-on", "new"], capsys)
    assert code == 1
    assert md.index("## New gaps since") < md.index("## Summary")
    assert md.index("loyalty cards") < md.index("## Summary")


def test_bad_baseline_is_exit_2(portfolio: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "old.json"
    bad.write_text('{"schema": "something/else"}', "utf-8")
    assert run(["report", str(portfolio), "--baseline", str(bad)]) == 2
    assert "not a conceptmap.report/1 report" in capsys.readouterr().err
    bad.write_text("{", "utf-8")
    assert run(["report", str(portfolio), "--baseline", str(bad)]) == 2
    assert "old.json:1:2: not a JSON report" in capsys.readouterr().err


# ---------------------------------------------------------------------- the real program


def test_subprocess_two_workers_no_progress_bar_when_piped(portfolio: Path, tmp_path: Path) -> None:
    env = {**os.environ, "CI": ""}
    done = subprocess.run(
        [
            str(BIN),
            "report",
            str(portfolio),
            "--jobs",
            "2",
            "--as-of",
            AS_OF,
            "-f",
            "json",
            "--fail-on",
            "contradicted",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    summary = json.loads(done.stdout)["summary"]
    assert summary["analysed"] == 2
    assert summary["counts"]["gaps"] == sum(len(e) for e in gap_ids(done.stdout))
    # stderr is a pipe: no bar, no carriage returns, no escape sequences — just the summary
    assert "\r" not in done.stderr and "\x1b" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"report: 2 maps (2 analysed, 0 invalid), {summary['counts']['gaps']} gaps; "
        "found 1 contradicted"
    ]


def gap_ids(text: str) -> list[list[str]]:
    return [e["gap_ids"] for e in json.loads(text)["maps"]]


def _stderr_on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the program with stderr on a pseudo-terminal; return what it wrote there (read
    while it runs, so a chatty bar can never fill the terminal's buffer)."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([str(BIN), *args], stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    try:
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the program exited and the terminal closed
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
        code = proc.wait(timeout=120)
    assert code == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only_and_not_in_ci(portfolio: Path) -> None:
    args = ["report", str(portfolio), "--jobs", "2", "--as-of", AS_OF, "-f", "json"]
    base = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    shown = _stderr_on_a_terminal(args, {**base, "TERM": "xterm"})
    assert "analysing maps" in shown and "2/2" in shown
    quiet = _stderr_on_a_terminal(args, {**base, "TERM": "xterm", "CI": "true"})
    assert "analysing maps" not in quiet and "report: 2 maps" in quiet


# ---------------------------------------------------------------------- streaming


def _varied_folder(folder: Path) -> list[Path]:
    """Twelve maps of every kind the report shows, a bad one in the middle, in three folders."""
    for i in range(11):
        write_map(
            folder / f"team-{i % 3}",
            f"m{i:02d}.cmap.json",
            f"Map {i} \u202e<b>x</b>" if i == 4 else f"Map {i}",
            contradicted=i % 3 == 0,
            source=["Maya", "Tom", "Ana", "Maya"][i % 4],
            extra=i % 4,
            link=None if i % 2 else "https://example.org/notes/maya",
        )
    (folder / "team-1" / "m05-broken.cmap.json").write_text('{"schema_version": 1', "utf-8")
    return sorted(folder.rglob("*.cmap.json"))


def test_streamed_report_is_the_whole_document_rendered(tmp_path: Path, capsys) -> None:
    """`report` writes each map out as it arrives and the head last; the bytes must be those
    of the whole document built in memory and rendered at once (the path the one-map report
    still takes), in every format, with one worker or two."""
    from conceptmap.report.batch import Job, render, run_maps
    from conceptmap.report.json_report import build_report, read_baseline

    folder = tmp_path / "maps"
    paths = _varied_folder(folder)
    base = tmp_path / "base.json"
    run(["report", str(folder / "team-0"), "--as-of", "2026-10-01", "-o", str(base)])
    variants = [
        ([], {}),
        (["--redact", "--top", "2"], {"redact": True, "top": 2}),
        (
            ["--baseline", str(base), "--fail-on", "new,contradicted"],
            {"baseline": base, "fail_on": ["new", "contradicted"]},
        ),
    ]
    for fmt in ("md", "json", "html"):
        for args, opts in variants:
            top = opts.get("top", 10)
            entries = run_maps(
                [str(p) for p in paths],
                Job(as_of=dt.date(2026, 11, 23), top=top, markdown=fmt == "md"),
            )
            known = read_baseline(base) if "baseline" in opts else None
            doc = build_report(
                entries,
                as_of=dt.date(2026, 11, 23),
                top=top,
                fail_on=opts.get("fail_on", ()),
                baseline=known,
                baseline_name="base.json" if known is not None else None,
                redact=opts.get("redact", False),
            )
            whole = render(doc, fmt).encode("utf-8")
            for jobs in ("1", "2"):
                out = tmp_path / f"r.{fmt}"
                argv = [str(folder), "-f", fmt, "--jobs", jobs, "-o", str(out), *args]
                code = run(["report", *argv, "--as-of", AS_OF])
                assert code == 2  # the broken map
                assert out.read_bytes() == whole, (fmt, args, jobs)
                # and on stdout, the same bytes
                code, text, _ = report([str(folder), "-f", fmt, "--jobs", jobs, *args], capsys)
                assert text.encode("utf-8") == whole, (fmt, args, jobs)
    capsys.readouterr()
    doc = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [e["path"] for e in doc["maps"]] == [str(p) for p in paths]  # sorted, as given
    assert doc["maps"][paths.index(folder / "team-1/m05-broken.cmap.json")]["status"] == "error"


def test_bad_map_in_the_middle_one_line_exit_2_and_a_whole_report(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "maps"
    paths = _varied_folder(folder)
    broken = folder / "team-1" / "m05-broken.cmap.json"
    assert 0 < paths.index(broken) < len(paths) - 1
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for fmt in ("json", "md", "html"):
        target = out_dir / f"report.{fmt}"
        code = run(["report", str(folder), "--as-of", AS_OF, "--jobs", "2", "-o", str(target)])
        err = capsys.readouterr().err.splitlines()
        assert code == 2
        assert err[0] == f"conceptmap: error: {broken}:1:21: invalid JSON: Expecting ',' delimiter"
        assert len(err) == 2 and err[1].startswith("report: 12 maps (11 analysed, 1 invalid)")
        text = target.read_text("utf-8")
        # the whole report: every map's section, down to the end of the format
        assert "Map 10" in text and "Expecting" in text  # the last map, and the bad one
        assert text.endswith({"json": "}\n", "md": "\n", "html": "</html>\n"}[fmt])
    doc = json.loads((out_dir / "report.json").read_text("utf-8"))
    assert [e["status"] for e in doc["maps"]].count("error") == 1
    assert len(doc["maps"]) == 12
    # no temporary file or spool is left next to the report: only the reports and their locks
    assert sorted(p.name for p in out_dir.iterdir()) == [
        ".report.html.lock",
        ".report.json.lock",
        ".report.md.lock",
        "report.html",
        "report.json",
        "report.md",
    ]


def test_a_report_that_cannot_be_written_leaves_the_old_one(tmp_path: Path) -> None:
    """The disk fills (here: a file-size limit) while the report is spooled or assembled:
    exit 3 in one line, and -o still holds the previous report, whole; nothing is left in
    its folder."""
    import resource
    import signal

    folder = tmp_path / "maps"
    _varied_folder(folder)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "report.md"
    target.write_text("the previous report\n", "utf-8")
    full = subprocess.run(
        [str(BIN), "report", str(folder), "--as-of", AS_OF, "-f", "md"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert len(full.stdout) > 20_000

    def limit(size: int):  # type: ignore[no-untyped-def]
        def preexec() -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails with EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

        return preexec

    # 8 KB: the spool of the sections fills; one byte short: the assembled file does
    for size in (8_000, len(full.stdout) - 1):
        done = subprocess.run(
            [str(BIN), "report", str(folder), "--as-of", AS_OF, "--jobs", "2", "-o", str(target)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            preexec_fn=limit(size),
        )
        assert done.returncode == 3, done.stderr
        assert done.stderr.splitlines()[-1] == (
            f"conceptmap: error: {target}: could not write the report: File too large"
        )
        assert "Traceback" not in done.stderr
        assert target.read_text("utf-8") == "the previous report\n"
        assert [p.name for p in out_dir.iterdir()] == ["report.md"]
    # the same run without the limit replaces it
    done = subprocess.run(
        [str(BIN), "report", str(folder), "--as-of", AS_OF, "-o", str(target)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and target.read_bytes() == full.stdout
