"""The benchmark's own logic (bench/run.py, bench/probe.py): parsing, combining, targets, report,
arguments. No load is generated and nothing is timed here."""

import json
from pathlib import Path

import pytest

from bench import probe
from bench.run import (
    BENCH_DIR,
    MAKE_RUN_GUNICORN_FLAGS,
    ROOT,
    closest_in_size,
    combine_runs,
    compare_growth,
    compressed_sizes,
    css_references,
    evaluate_targets,
    gunicorn_command,
    markdown_report,
    page_assets,
    parse_args,
    parse_wrk_output,
    postgres_bench_url,
)
from content.models import Guide, Page, Section, Status
from content.navigation import MAIN_NAV


def wrk_output(requests=2000, duration_us=2_000_000, status=0, non_2xx=0, p99=9000, read=0):
    line = {
        "requests": requests,
        "duration_us": duration_us,
        "bytes": requests * 1000,
        "errors": {"connect": 0, "read": read, "write": 0, "status": status, "timeout": 1},
        "non_2xx": non_2xx,
        "latency_us": {"p50": 1500, "p90": 4000, "p99": p99, "max": 20000, "mean": 2000.5},
    }
    return f"Running 2s test @ http://127.0.0.1:1/\n  junk\nBENCH_JSON {json.dumps(line)}\n"


def test_wrk_output_is_read_from_the_lua_scripts_json_line():
    run = parse_wrk_output(wrk_output(requests=2500, duration_us=2_000_000, read=2, non_2xx=4))
    assert run["requests"] == 2500
    assert run["rps"] == 1250.0
    assert run["seconds"] == 2.0
    assert (run["p50_ms"], run["p90_ms"], run["p99_ms"]) == (1.5, 4.0, 9.0)
    # Socket errors (read 2 + timeout 1) are errors; HTTP statuses are counted as non-2xx.
    assert run["errors"] == 3
    assert run["non_2xx"] == 4


def test_wrk_output_without_the_json_line_is_an_error_that_shows_the_output():
    with pytest.raises(ValueError, match="unable to connect"):
        parse_wrk_output("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_slices_combine_into_throughput_over_their_whole_time_and_median_latency():
    slices = [
        parse_wrk_output(wrk_output(requests=1000, duration_us=1_000_000, p99=5000)),
        parse_wrk_output(wrk_output(requests=3000, duration_us=1_000_000, p99=7000, read=1)),
        parse_wrk_output(wrk_output(requests=2000, duration_us=1_000_000, p99=90000)),
    ]
    combined = combine_runs(slices)
    assert combined["rps"] == 2000.0
    assert combined["p99_ms"] == 7.0  # the median: one burst does not decide it
    assert combined["errors"] == 4
    assert combined["slices"] == 3


def test_a_slice_without_answers_has_no_latency_and_a_page_without_answers_fails_p99():
    silent = parse_wrk_output(wrk_output(requests=0, duration_us=1_000_000))
    answered = parse_wrk_output(wrk_output(requests=500, duration_us=1_000_000, p99=30000))
    assert silent["p99_ms"] is None
    assert combine_runs([silent, answered])["p99_ms"] == 30.0
    assert combine_runs([silent])["p99_ms"] is None
    run_8 = make_run(0, 0.0, p99=None, static_p99=8.0)
    small = make_phase({"8": run_8})
    checks = evaluate_targets(small, None)["/safety/"]
    assert checks["p99 at 8 <= 2x static"]["ok"] is False


def test_compressed_sizes_are_smaller_than_raw_for_html():
    html = b"<p>" + b"Plain words for a patient guide. " * 200 + b"</p>"
    sizes = compressed_sizes(html)
    assert sizes["raw"] == len(html)
    assert 0 < sizes["br"] < sizes["raw"]
    assert 0 < sizes["gzip"] < sizes["raw"]


def test_first_view_assets_and_render_blocking_scripts_are_found():
    html = """<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="/static/css/site.abc.css">
      <link rel="icon" href="/static/img/favicon.abc.svg">
      <link rel="canonical" href="/safety/">
      <script src="/static/js/blocking.js"></script>
      <script src="/static/js/deferred.js" defer></script>
      <script type="module" src="/static/js/module.js"></script>
      <script type="application/ld+json">{"a": 1}</script>
      <script>var inline = 1;</script>
    </head><body>
      <img src="/static/img/chart.png" alt=""><img src="data:image/png;base64,AAAA" alt="">
      <script src="/static/js/end-of-body.js"></script>
    </body></html>"""
    assets = page_assets(html)
    assert assets.urls == [
        "/static/css/site.abc.css",
        "/static/img/favicon.abc.svg",
        "/static/js/blocking.js",
        "/static/js/deferred.js",
        "/static/js/module.js",
        "/static/img/chart.png",
        "/static/js/end-of-body.js",
    ]
    assert assets.blocking_scripts == ["/static/js/blocking.js", "(inline script)"]


def test_css_references_skip_data_uris():
    css = """@import "print.css"; .a { background: url('../img/a.png'); }
    .b { background: url(data:image/svg+xml;base64,AAA); } .c { mask: url( "b.svg" ) }"""
    assert css_references(css) == ["print.css", "../img/a.png", "b.svg"]


def test_the_static_reference_is_the_file_closest_in_size_to_the_median_page():
    files = {"css/site.1.css": 8000, "admin/css/base.2.css": 21000, "js/app.3.js": 40000}
    assert closest_in_size(files, 19000) == "admin/css/base.2.css"
    assert closest_in_size(files, 100) == "css/site.1.css"


def make_run(rps, ratio, p99=10.0, static_p99=8.0, errors=0, non_2xx=0):
    return {
        "requests": int(rps * 10),
        "rps": rps,
        "ratio": ratio,
        "p50_ms": 1.0,
        "p90_ms": 2.0,
        "p99_ms": p99,
        "static_rps": 1000.0,
        "static_p99_ms": static_p99,
        "errors": errors,
        "non_2xx": non_2xx,
    }


def make_phase(page_runs, queries=(2, 0), html_gzip=3000, first_view=9000, blocking=()):
    static = {"rps": 1000.0, "p99_ms": 8.0, "p50_ms": 1, "p90_ms": 2, "errors": 0, "non_2xx": 0}
    static["requests"] = 10000
    return {
        "static": {
            "url": "/static/css/site.abc.css",
            "bytes": 8000,
            "runs": {c: dict(static) for c in page_runs},
        },
        "pages": {
            "/safety/": {
                "url": "/safety/",
                "html": {"raw": 9000, "gzip": html_gzip, "br": html_gzip - 300},
                "queries": {"cold": queries[0], "warm": queries[1], "cold_sql": []},
                "first_view": {"bytes": first_view, "assets": {}, "blocking_scripts": blocking},
                "runs": page_runs,
            }
        },
        "memory": {
            "workers": [{"pid": 1, "vm_hwm_mb": 50.0, "alive_at_end": True}],
            "master_vm_hwm_mb": 20.0,
        },
    }


def test_a_page_that_meets_every_target_passes_every_check():
    runs = {"8": make_run(800, 0.8, p99=15.0, static_p99=8.0), "64": make_run(900, 0.9)}
    small = make_phase(runs)
    growth = make_phase({"64": make_run(850, 0.85)})
    growth["comparison"] = compare_growth(small, growth)
    checks = evaluate_targets(small, growth)["/safety/"]
    assert all(check["ok"] is True for check in checks.values()), checks


def test_each_missed_target_fails_its_own_check():
    runs = {
        "8": make_run(300, 0.3, p99=20.0, static_p99=8.0),
        "64": make_run(400, 0.4, non_2xx=2),
    }
    small = make_phase(runs, queries=(4, 3), html_gzip=15000, first_view=70000)
    growth = make_phase({"64": make_run(280, 0.28)}, queries=(5, 5))
    growth["comparison"] = compare_growth(small, growth)
    checks = evaluate_targets(small, growth)["/safety/"]
    assert {name for name, check in checks.items() if check["ok"] is False} == set(checks)
    assert checks["p99 at 8 <= 2x static"]["limit"] == 16.0
    assert growth["comparison"]["/safety/"]["ratio_change"] == -0.3


def test_render_blocking_javascript_fails_the_first_view_check():
    small = make_phase({"64": make_run(900, 0.9)}, blocking=("/static/js/app.js",))
    checks = evaluate_targets(small, None)["/safety/"]
    assert checks["first view < 60 KB, no blocking JS"]["ok"] is False


def test_targets_a_run_did_not_measure_are_not_applicable_rather_than_passed():
    small = make_phase({"64": make_run(900, 0.9)})
    checks = evaluate_targets(small, None)["/safety/"]
    assert checks["p99 at 8 <= 2x static"]["ok"] is None
    assert checks["growth within 20%"]["ok"] is None


def test_the_markdown_report_has_a_row_per_page_and_connection_count_and_marks_failures():
    small = make_phase({"8": make_run(300, 0.3), "64": make_run(400, 0.4)})
    result = {
        "meta": {
            "mode": "full",
            "finished_at": "2026-01-01 00:00 UTC",
            "command": "make bench",
            "commit": "abc1234",
            "machine": {
                "cpu_model": "Test CPU",
                "nproc": 2,
                "memory_gb": 4.0,
                "load_before": "0.10",
                "load_after": "0.20",
            },
            "server_command": "python -m gunicorn pomsite.wsgi:application",
            "database": "SQLite (temporary file)",
            "page_cache": "off",
            "duration_s": 10,
            "rounds": 5,
            "pairing": True,
            "cookie": "us_audience=yes",
        },
        "phases": {"small": small},
        "targets": evaluate_targets(small, None),
    }
    report = markdown_report(result)
    assert "| /safety/ | 8 | 300 |" in report
    assert "| /safety/ | 64 | 400 |" in report
    assert "**FAIL**" in report
    assert "Test CPU, 2 CPUs" in report
    assert "per gunicorn worker: highest 50 MB, median 50 MB; worker processes seen: 1," in report


def test_gunicorn_runs_with_the_repos_config_file_when_there_is_one(tmp_path: Path):
    without = gunicorn_command(8123, root=tmp_path)
    assert without[-2:] == ["--bind", "127.0.0.1:8123"]
    assert all(flag in without for flag in MAKE_RUN_GUNICORN_FLAGS)
    (tmp_path / "pomsite").mkdir()
    (tmp_path / "pomsite" / "gunicorn.conf.py").write_text("workers = 3\n")
    with_config = gunicorn_command(8123, root=tmp_path)
    assert "--config" in with_config
    assert with_config[with_config.index("--config") + 1] == "pomsite/gunicorn.conf.py"
    assert "--workers" not in with_config
    assert with_config[-2:] == ["--bind", "127.0.0.1:8123"]


def test_a_postgres_benchmark_uses_a_throwaway_database_beside_the_configured_one():
    url, name = postgres_bench_url(
        "postgres://site:secret@db.internal:5432/pomsite?sslmode=require", "ab12"
    )
    assert name == "pomsite_bench_ab12"
    assert url == "postgres://site:secret@db.internal:5432/pomsite_bench_ab12?sslmode=require"


def test_smoke_mode_is_short_and_measures_every_page_once_at_eight_connections():
    args = parse_args(["--smoke"])
    assert args.duration == 1
    assert args.slice == 1
    assert args.connections == args.growth_connections == [8]
    assert args.pairing is False
    assert args.name == "smoke"
    assert not args.no_growth


def test_the_full_run_pairs_ten_seconds_per_page_in_slices_at_1_8_and_64_connections():
    args = parse_args([])
    assert (args.duration, args.rounds, args.slice) == (10, 5, 2)
    assert args.connections == args.growth_connections == [1, 8, 64]
    assert args.pairing is True
    assert args.name == "latest"


@pytest.mark.parametrize(
    "argv",
    [
        ["--duration", "7", "--rounds", "5"],
        ["--duration", "0"],
        ["--connections", "eight"],
        ["--connections", "0,8"],
    ],
)
def test_bad_arguments_stop_with_a_message(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        parse_args(argv)
    assert stopped.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_make_and_ci_run_the_smoke_mode():
    makefile = (ROOT / "Makefile").read_text()
    assert "bench-smoke:" in makefile
    assert "-m bench.run --smoke" in makefile
    assert "make bench-smoke" in (ROOT / ".ci" / "run").read_text().splitlines()
    assert (BENCH_DIR / "report.lua").is_file()


@pytest.mark.django_db
def test_the_growth_generator_adds_published_placeholders_once():
    first = probe.grow(guides=25, sections=23)
    second = probe.grow(guides=25, sections=23)
    assert first == second == {"guides": 25, "sections": 23, "published_guides_total": 25}
    placeholder_pages = Page.objects.filter(slug__startswith=probe.PLACEHOLDER_PREFIX)
    assert placeholder_pages.count() == 3
    assert not Guide.objects.exclude(status=Status.PUBLISHED).exists()
    section = Section.objects.filter(page__in=placeholder_pages).first()
    assert "It is not medical information" in section.body_html


@pytest.mark.django_db
def test_the_query_probe_counts_cold_and_warm_queries_of_every_public_page():
    from content.loader import load_content

    load_content()
    result = probe.count_queries(None)
    page_map = {item.url for item in MAIN_NAV}
    assert set(result["pages"]) == {*page_map, f"/guides/{result['guide_slug']}/"}
    for url, page in result["pages"].items():
        assert page["status"] == 200, url
        assert page["cold"] == len(page["cold_sql"]) > 0, url
