"""Build marcato._marcato against the core and pipeline libraries.

The libraries come from the repository's CMake build (build/native, or the
directory MARCATO_BUILD_DIR names); when they are missing the native preset
is configured and built first. Nothing is downloaded.
"""
import os
import subprocess
from pathlib import Path

from setuptools import Extension, setup

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUILD = Path(os.environ.get("MARCATO_BUILD_DIR", ROOT / "build" / "native"))
CORE = BUILD / "core" / "libmarcato.a"
PIPELINE = BUILD / "native" / "libmarcato_pipeline.a"

if not (CORE.exists() and PIPELINE.exists()):
    subprocess.check_call(["cmake", "--preset", "native"], cwd=ROOT)
    subprocess.check_call(
        ["cmake", "--build", "--preset", "native", "--target", "marcato_static",
         "marcato_pipeline"], cwd=ROOT)

sources = sorted(str(p.relative_to(HERE)) for p in (HERE / "src").glob("*.c"))

setup(
    ext_modules=[
        Extension(
            "marcato._marcato",
            sources=sources,
            include_dirs=[str(ROOT / "core" / "include"),
                          str(ROOT / "native" / "include"), "src"],
            define_macros=[("_POSIX_C_SOURCE", "200809L")],
            extra_compile_args=["-std=c11", "-Wall", "-Wextra", "-Werror",
                                "-Wno-missing-field-initializers",
                                "-Wno-cast-function-type"],
            extra_objects=[str(PIPELINE), str(CORE)],
            libraries=["expat", "cjson", "pthread"],
            depends=[str(CORE), str(PIPELINE)],
        )
    ],
)
