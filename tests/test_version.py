# SPDX-License-Identifier: MIT
"""One version, said the same way everywhere: scripts/version is the one
place (git describe on a v<version> tag, else the VERSION file), make and
every tool take it from there, and the CHANGELOG's newest release is the
VERSION file's.  The licence the SPDX lines name is in LICENSE."""
import re
import shutil
import subprocess

import pytest

from build_targets import BUILD, ROOT

RELEASE = re.compile(r"^## (\d+\.\d+\.\d+)(?: \(\d{4}-\d\d-\d\d\))?$", re.M)


def tree_version():
    out = subprocess.run([str(ROOT / "scripts/version")], capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_changelog_has_unreleased_then_the_version_files_release():
    text = (ROOT / "CHANGELOG.md").read_text()
    headings = re.findall(r"^## (.*)$", text, re.M)
    assert headings[0] == "Unreleased", headings[:2]
    releases = RELEASE.findall(text)
    assert releases, "CHANGELOG.md has no '## X.Y.Z (YYYY-MM-DD)' section"
    assert headings[1].split()[0] == releases[0], \
        f"the section after Unreleased is not a release: {headings[1]}"
    version = (ROOT / "VERSION").read_text().strip()
    assert releases[0] == version, (
        f"VERSION says {version} but CHANGELOG.md's newest release is "
        f"{releases[0]}")
    assert len(set(releases)) == len(releases), "a release listed twice"


def test_make_and_the_tools_report_the_trees_version():
    version = tree_version()
    out = subprocess.run(["make", "-s", "-C", str(ROOT), "version"],
                         capture_output=True, text=True)
    assert out.stdout.strip() == version, out.stderr
    for tool, expected in (
            (BUILD / "host/bin/purgkit-link", f"purgkit-link (purgkit) {version}"),
            (BUILD / "host/bin/purgkit-load", f"purgkit-load {version}"),
            (ROOT / "tools/purgkit-run", f"purgkit-run (purgkit) {version}")):
        out = subprocess.run([str(tool), "--version"], capture_output=True,
                             text=True)
        assert out.returncode == 0 and out.stdout.strip() == expected, \
            (tool, out.stdout, out.stderr)


@pytest.fixture
def copy_of_the_script(tmp_path):
    """scripts/version and a VERSION file in a folder of their own."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts/version", tmp_path / "scripts/version")
    (tmp_path / "VERSION").write_text("1.2.3\n")
    return tmp_path


def run_version(root):
    return subprocess.run([str(root / "scripts/version")],
                          capture_output=True, text=True)


def git(root, *args):
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t",
                    "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


def test_without_a_tag_the_version_file_speaks(copy_of_the_script):
    git(copy_of_the_script, "init", "-q")
    git(copy_of_the_script, "add", ".")
    git(copy_of_the_script, "commit", "-q", "-m", "one")
    out = run_version(copy_of_the_script)
    assert (out.returncode, out.stdout) == (0, "1.2.3\n"), out.stderr


def test_a_release_tag_wins_and_counts_commits_after_it(copy_of_the_script):
    root = copy_of_the_script
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "one")
    git(root, "tag", "v1.2.4")
    assert run_version(root).stdout == "1.2.4\n"
    git(root, "commit", "-q", "--allow-empty", "-m", "two")
    assert re.fullmatch(r"1\.2\.4-1-g[0-9a-f]+\n", run_version(root).stdout)
    git(root, "tag", "not-a-release")   # only v<version> tags count
    assert run_version(root).stdout.startswith("1.2.4-1-g")


def test_an_empty_version_file_is_one_line_naming_it(copy_of_the_script):
    (copy_of_the_script / "VERSION").write_text("")
    out = run_version(copy_of_the_script)
    assert out.returncode != 0 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "VERSION" in out.stderr, out.stderr


def test_licence_is_the_mit_text_the_spdx_lines_name():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert re.search(r"^Copyright \(c\) \d{4} the purgkit authors$", text,
                     re.M)
    assert "Permission is hereby granted, free of charge" in text
    spdx = subprocess.run(["git", "-C", str(ROOT), "grep", "-h", "-o", "-E",
                           "SPDX-License-Identifier: [A-Za-z0-9.+-]+"],
                          capture_output=True, text=True).stdout
    assert len(spdx.splitlines()) > 100
    assert {line.split(": ", 1)[1] for line in spdx.splitlines()} == {"MIT"}
