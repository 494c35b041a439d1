"""read_source and iter_input_files: every file problem is a Notification, never a traceback."""

from __future__ import annotations

import io
import os

import pytest

from redislint.model import Notification
from redislint.sources import SourceText, iter_input_files, load_yaml, read_source


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def test_reads_utf8(tmp_path):
    p = write(tmp_path / "a.yaml", "name: café\n".encode())
    src = read_source(p)
    assert isinstance(src, SourceText)
    assert src.text == "name: café\n"
    assert src.raw_bytes_len == 12
    assert not src.had_bom and not src.cr_only


def test_file_not_found(tmp_path):
    n = read_source(str(tmp_path / "missing.yaml"))
    assert isinstance(n, Notification) and n.message == "file not found"


def test_directory_given_as_file(tmp_path):
    n = read_source(str(tmp_path))
    assert isinstance(n, Notification) and "is a directory" in n.message


def test_permission_denied(tmp_path):
    p = write(tmp_path / "secret.yaml", b"a: 1\n")
    os.chmod(p, 0)
    try:
        try:
            with open(p, "rb"):
                pass
            readable = True
        except PermissionError:
            readable = False
        if readable:
            pytest.skip("running as root (or with CAP_DAC_OVERRIDE): mode 000 is still readable")
        n = read_source(p)
        assert isinstance(n, Notification) and "permission denied" in n.message
    finally:
        os.chmod(p, 0o644)


def test_permission_error_is_a_notification(tmp_path, monkeypatch):
    # The same path as above, forced, so it is covered when tests run as root.
    p = write(tmp_path / "secret.yaml", b"a: 1\n")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", p)

    monkeypatch.setattr("builtins.open", denied)
    n = read_source(p)
    assert isinstance(n, Notification) and "permission denied" in n.message


def test_size_limit_50_mb(tmp_path):
    p = tmp_path / "huge.yaml"
    with open(p, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to disk
    n = read_source(str(p))
    assert isinstance(n, Notification)
    assert "52,428,800 bytes" in n.message and "10 MiB" in n.message
    assert "--max-file-size" in n.message


def test_size_limit_is_configurable(tmp_path):
    p = write(tmp_path / "a.yaml", b"a: 1\n" * 100)
    assert isinstance(read_source(p, max_bytes=100), Notification)
    assert isinstance(read_source(p, max_bytes=1000), SourceText)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_size_limit_on_a_device_without_a_size():
    n = read_source("/dev/zero", max_bytes=1000)
    assert isinstance(n, Notification) and "too large" in n.message


def test_size_limit_on_stdin():
    n = read_source("-", max_bytes=10, stdin=io.BytesIO(b"a: 1\n" * 10))
    assert isinstance(n, Notification) and n.path == "<stdin>"


def test_stdin():
    src = read_source("-", stdin=io.BytesIO(b"a: 1\n"))
    assert isinstance(src, SourceText) and src.path == "<stdin>" and src.text == "a: 1\n"


def test_nul_byte_is_binary(tmp_path):
    p = write(tmp_path / "bin.yaml", b"a: 1\nb: \x00\x01\x02\n")
    n = read_source(p)
    assert isinstance(n, Notification)
    assert "binary" in n.message and "byte offset 8" in n.message
    assert (n.line, n.column) == (2, 4)


@pytest.mark.parametrize("data,enc", [
    ("a: 1\n".encode("utf-16"), "UTF-16"),
    ("a: 1\n".encode("utf-32"), "UTF-32"),
])
def test_utf16_and_utf32(tmp_path, data, enc):
    n = read_source(write(tmp_path / "w.yaml", data))
    assert isinstance(n, Notification) and enc in n.message and "UTF-8" in n.message


def test_non_utf8_says_where(tmp_path):
    p = write(tmp_path / "latin1.conf", b"save 900 1\nrequirepass caf\xe9\n")
    n = read_source(p)
    assert isinstance(n, Notification)
    assert "not valid UTF-8" in n.message
    assert "0xe9" in n.message and "byte offset 26" in n.message and "line 2" in n.message
    assert (n.line, n.column) == (2, 16)


def test_bom_is_stripped_but_remembered(tmp_path):
    p = write(tmp_path / "bom.conf", b"\xef\xbb\xbfsave 900 1\n")
    src = read_source(p)
    assert isinstance(src, SourceText)
    assert src.had_bom and src.text == "save 900 1\n" and src.raw_bytes_len == 14
    f = load_yaml(src.path, src.text)  # YAML positions start after the BOM
    assert f.documents[0].root.span.column == 1


def test_crlf_is_kept(tmp_path):
    src = read_source(write(tmp_path / "w.yaml", b"a: 1\r\nb: 2\r\n"))
    assert src.text == "a: 1\r\nb: 2\r\n" and not src.cr_only


def test_cr_only_is_detected(tmp_path):
    src = read_source(write(tmp_path / "mac.conf", b"save 900 1\rappendonly yes\r"))
    assert isinstance(src, SourceText) and src.cr_only


# -- walking ----------------------------------------------------------------------------------

def tree(tmp_path):
    for rel in ["b/values.yaml", "a/release.yml", "a/redis.conf", "a/notes.txt", "a/Chart.lock",
                "c/deep/er/x.YAML", ".git/config.yaml", "a/.hidden.yaml", ".github/ci.yml",
                "top.yaml"]:
        write(tmp_path / rel, b"a: 1\n")
    return tmp_path


def rel(items, base):
    return [os.path.relpath(i, base) if isinstance(i, str) else i for i in items]


def test_walks_sorted_and_filters(tmp_path):
    base = tree(tmp_path)
    out = list(iter_input_files([str(base)]))
    assert rel(out, base) == ["a/redis.conf", "a/release.yml", "b/values.yaml",
                              "c/deep/er/x.YAML", "top.yaml"]


def test_explicit_files_are_always_yielded_and_deduplicated(tmp_path):
    base = tree(tmp_path)
    txt = str(base / "a/notes.txt")
    out = list(iter_input_files([txt, str(base / "a"), str(base / "a/redis.conf"), txt]))
    assert rel(out, base) == ["a/notes.txt", "a/redis.conf", "a/release.yml"]


def test_exclude_patterns(tmp_path):
    base = tree(tmp_path)
    out = list(iter_input_files([str(base)], exclude=["b", "*.conf", str(base / "c")]))
    assert rel(out, base) == ["a/release.yml", "top.yaml"]


def test_exclude_relative_to_the_walked_directory(tmp_path):
    base = tree(tmp_path)
    out = list(iter_input_files([str(base)], exclude=["a/*.yml", "c/deep"]))
    assert rel(out, base) == ["a/redis.conf", "b/values.yaml", "top.yaml"]


def test_missing_path(tmp_path):
    [n] = list(iter_input_files([str(tmp_path / "nope")]))
    assert isinstance(n, Notification) and "no such file" in n.message


def test_stdin_dash_is_yielded_once():
    assert list(iter_input_files(["-", "-"])) == ["-"]


def test_broken_and_looping_symlinks(tmp_path):
    base = tmp_path / "repo"
    write(base / "ok.yaml", b"a: 1\n")
    os.symlink(str(base / "missing.yaml"), base / "broken.yaml")
    os.symlink("self.yaml", base / "self.yaml")  # a link to itself: ELOOP
    os.symlink("loop-b.yaml", base / "loop-a.yaml")
    os.symlink("loop-a.yaml", base / "loop-b.yaml")
    (base / "sub").mkdir()
    os.symlink("..", base / "sub" / "parent")  # a directory link back up the tree
    write(base / "sub" / "inner.yaml", b"b: 2\n")
    os.symlink("ok.yaml", base / "alias.yaml")  # a second path to the same file
    out = list(iter_input_files([str(base)]))
    files = [o for o in out if isinstance(o, str)]
    notes = {os.path.basename(o.path): o for o in out if isinstance(o, Notification)}
    assert rel(files, base) == ["alias.yaml", "sub/inner.yaml"]
    assert "broken symbolic link" in notes["broken.yaml"].message
    assert "loop" in notes["self.yaml"].message
    assert "loop" in notes["loop-a.yaml"].message and "loop" in notes["loop-b.yaml"].message
    assert "loop" in notes["parent"].message
    assert all(n.level == "warning" for n in notes.values())


def test_explicit_broken_symlink_and_reading_it(tmp_path):
    link = tmp_path / "gone.yaml"
    os.symlink(str(tmp_path / "target.yaml"), link)
    [n] = list(iter_input_files([str(link)]))
    assert isinstance(n, Notification) and "broken symbolic link" in n.message
    r = read_source(str(link))
    assert isinstance(r, Notification) and "broken symbolic link" in r.message


def test_reading_a_looping_symlink(tmp_path):
    os.symlink("me.yaml", tmp_path / "me.yaml")
    r = read_source(str(tmp_path / "me.yaml"))
    assert isinstance(r, Notification) and "loop" in r.message


def test_unlistable_directory(tmp_path, monkeypatch):
    base = tree(tmp_path)
    real = os.scandir

    def scandir(path):
        if str(path).endswith("/b"):
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = list(iter_input_files([str(base)]))
    notes = [o for o in out if isinstance(o, Notification)]
    assert len(notes) == 1 and "permission denied" in notes[0].message
    assert "b/values.yaml" not in rel([o for o in out if isinstance(o, str)], base)
