"""Fetch the 54 Kokoro speaker styles: `npm pack kokoro-js@1.2.1`, check, store in the data dir.

    python -m vhost.voice.kokoro_fetch [--tarball FILE] [--force]

Run by `scripts/setup.sh` (and `vhost voices --fetch`). npm only downloads the package's tarball
(`npm pack` runs none of its scripts). The tarball's sha256 and then every `voices/NAME.bin` is
checked against `models/kokoro-js-voices.toml` before anything is written; files are written
atomically, so a half-stored style never exists. Without npm (or offline) it says so and exits 0 when
`--optional`: the show then speaks Mandarin with today's packaged (Japanese) styles and warns.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from vhost.base.files import atomic_write_bytes
from vhost.voice import kokoro_styles as ks

NPM_HINT = "install npm (Debian: apt-get install npm) and run scripts/setup.sh again"


class FetchError(RuntimeError):
    pass


def missing_or_bad(folder: Path | None = None) -> list[str]:
    """Styles of the manifest that are absent or fail their sha256 ([] when all are in place)."""
    folder = folder or ks.install_dir()
    bad = []
    for name, sha in ks.expected_sha256().items():
        path = folder / f"{name}.bin"
        if not path.is_file() or ks.sha256_of(path) != sha:
            bad.append(name)
    return bad


def npm_pack(workdir: Path) -> Path:
    """The package's tarball, downloaded by `npm pack` into `workdir`."""
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError(f"npm not found; {NPM_HINT}")
    pkg = ks.manifest()["package"]
    spec = f"{pkg['name']}@{pkg['version']}"
    proc = subprocess.run([npm, "pack", spec, "--silent", "--ignore-scripts"], cwd=workdir,
                          capture_output=True, text=True, timeout=600)
    tarball = workdir / pkg["tarball"]
    if proc.returncode != 0 or not tarball.is_file():
        raise FetchError(f"npm pack {spec} failed ({proc.returncode}): {proc.stderr.strip()[-400:]}")
    return tarball


def install_from_tarball(tarball: Path, folder: Path | None = None) -> list[str]:
    """Check `tarball` and every style in it against the manifest, then store the styles.
    Returns the names stored; raises FetchError (and writes nothing) on any mismatch."""
    folder = folder or ks.install_dir()
    pkg = ks.manifest()["package"]
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != pkg["tarball_sha256"]:
        raise FetchError(f"{tarball.name}: sha256 {digest} is not the manifest's {pkg['tarball_sha256']}")
    expected = ks.expected_sha256()
    blobs: dict[str, bytes] = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            path = Path(member.name)
            if not member.isfile() or path.parent.as_posix() != "package/voices" or path.suffix != ".bin":
                continue
            fh = tar.extractfile(member)
            if fh is not None and path.stem in expected:
                blobs[path.stem] = fh.read()
    missing = sorted(set(expected) - set(blobs))
    if missing:
        raise FetchError(f"{tarball.name} lacks {len(missing)} styles: {', '.join(missing[:5])}")
    for name, blob in blobs.items():
        if hashlib.sha256(blob).hexdigest() != expected[name]:
            raise FetchError(f"{name}.bin in {tarball.name} fails its sha256 check")
    for name, blob in sorted(blobs.items()):
        atomic_write_bytes(folder / f"{name}.bin", blob, mode=0o644)
    return sorted(blobs)


def fetch(tarball: Path | None = None, force: bool = False, folder: Path | None = None) -> str:
    """Make sure every style is stored and verified; returns what was done, in words."""
    folder = folder or ks.install_dir()
    if not force and not missing_or_bad(folder):
        return f"kokoro-js styles already in place ({len(ks.expected_sha256())} verified) in {folder}"
    if tarball is not None:
        names = install_from_tarball(tarball, folder)
    else:
        with tempfile.TemporaryDirectory(prefix="vhost-npm-") as tmp:
            names = install_from_tarball(npm_pack(Path(tmp)), folder)
    return f"stored {len(names)} verified kokoro-js styles in {folder}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="fetch Kokoro's 54 speaker styles (npm kokoro-js)")
    ap.add_argument("--tarball", type=Path, help="use this kokoro-js tarball instead of npm pack")
    ap.add_argument("--force", action="store_true", help="fetch and store again even if in place")
    ap.add_argument("--optional", action="store_true",
                    help="a failure is a warning (exit 0): the show keeps today's styles")
    args = ap.parse_args(argv)
    try:
        print(f"vhost: {fetch(args.tarball, args.force)}")
    except (FetchError, OSError, subprocess.SubprocessError) as err:
        level = "warning" if args.optional else "error"
        print(f"vhost: {level}: Kokoro's native voices not installed: {err}. Mandarin keeps today's "
              f"Japanese-accented style until they are.", file=sys.stderr)
        return 0 if args.optional else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
