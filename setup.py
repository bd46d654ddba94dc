"""Builds the extension aidcsim._aidcsim with the project's CMake (the `aidc::python` target of a
release configuration without the tests, in build/python-package/) for the interpreter running
pip, and puts it in the package. pyproject.toml holds the metadata.

Needs what `tools/setup` installs (CMake, Ninja, g++, the libraries, pybind11-dev, python3-dev)
and the charting library it fetches once (or -DAIDC_ECHARTS_JS through $AIDC_CMAKE_ARGS).
"""

import os
import pathlib
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE = pathlib.Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = pathlib.Path(os.environ.get("AIDC_PYTHON_BUILD_DIR", SOURCE / "build" / "python-package"))
        configure = [
            "cmake", "-S", str(SOURCE), "-B", str(build_dir), "-G", "Ninja",
            "-DCMAKE_BUILD_TYPE=Release", "-DAIDC_BUILD_TESTS=OFF", "-DAIDC_BUILD_PYTHON=ON",
            f"-DPython_EXECUTABLE={sys.executable}",
            *shlex.split(os.environ.get("AIDC_CMAKE_ARGS", "")),
        ]
        subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "aidc_python", "-j", jobs], check=True)
        built = sorted((build_dir / "python" / "aidcsim").glob("_aidcsim*.so"))
        if not built:
            raise RuntimeError(f"CMake built no _aidcsim module in {build_dir}/python/aidcsim "
                               "(is pybind11-dev installed? see the configure output above)")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[-1], target)


setup(ext_modules=[Extension("aidcsim._aidcsim", sources=[])], cmdclass={"build_ext": CMakeBuild})
