/* Fuzz check for the Python package's C extension (python/src): untrusted
 * bytes through every entry point of the extension that parses them,
 * inside an embedded interpreter (Debian's libpython) with the extension
 * compiled into this program (tests/fuzz.cmake):
 *  - MARCReader over the bytes: ISO 2709 permissive with and without
 *    salvage, utf8_handling 'replace', to_unicode False, file_encoding
 *    'cp1251' with hide_utf8_warnings, the format sniffed ('auto'), and
 *    strict to the end (its errors are the documented MarcError and
 *    UnicodeDecodeError);
 *  - Record(data) on the bytes;
 *  - marcato.pipeline() on two threads in records mode and MARCXML bytes
 *    mode, in tiny batches, left early for odd-sized inputs (the records
 *    not handed out are freed: close() through the with block);
 * and every record read is accessed (fields, title, str) and written back
 * (ISO 2709, MARC-in-JSON, a dict). An exception other than the
 * documented ones, or a memory error the sanitizers see, aborts.
 *
 * Leak detection must be off (ASAN_OPTIONS=detect_leaks=0, libFuzzer's
 * -detect_leaks=0): the interpreter keeps allocations to the end. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "fuzz_reader.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef MARCATO_PYTHON_DIR
#error "MARCATO_PYTHON_DIR: the folder holding the marcato package"
#endif

PyMODINIT_FUNC PyInit__marcato(void);

static const char harness[] =
    "import warnings\n"
    "import marcato\n"
    "warnings.simplefilter('ignore')\n"
    "WRITE_ERRORS = (marcato.MarcError, ValueError)\n"
    "MODES = ({'permissive': True}, {'permissive': True, 'salvage': True},\n"
    "         {'permissive': True, 'utf8_handling': 'replace'},\n"
    "         {'permissive': True, 'to_unicode': False},\n"
    "         {'permissive': True, 'file_encoding': 'cp1251',\n"
    "          'hide_utf8_warnings': True},\n"
    "         {'permissive': True, 'format': 'auto'})\n"
    "def touch(rec):\n"
    "    rec['245'], rec.fields, rec.title, str(rec), rec.as_dict()\n"
    "    for write in (rec.as_marc, rec.as_json):\n"
    "        try:\n"
    "            write()\n"
    "        except WRITE_ERRORS:\n"
    "            pass\n"
    "def check(data):\n"
    "    for kw in MODES:\n"
    "        for rec in marcato.MARCReader(data, **kw):\n"
    "            if rec is not None:\n"
    "                touch(rec)\n"
    "    strict = marcato.MARCReader(data)\n"
    "    while True:\n"
    "        try:\n"
    "            next(strict)\n"
    "        except (marcato.MarcError, UnicodeDecodeError):\n"
    "            continue\n"
    "        except StopIteration:\n"
    "            break\n"
    "    try:\n"
    "        touch(marcato.Record(data))\n"
    "    except (marcato.MarcError, UnicodeDecodeError, ValueError):\n"
    "        pass\n"
    "    for to in ('records', 'marcxml'):\n"
    "        with marcato.pipeline(data, threads=2, batch=2, queue=1, to=to,\n"
    "                              permissive=True, serial_below=0) as it:\n"
    "            for i, out in enumerate(it):\n"
    "                if to == 'records' and out is not None:\n"
    "                    touch(out)\n"
    "                if i == 2 and len(data) % 2:\n"
    "                    break\n"
    "        s = it.stats\n"
    "        assert s['decoded'] == s['handed_out'] + s['dropped'], s\n";

static PyObject *check_fn;

static void fail_python(const char *what) {
  fprintf(stderr, "fuzz_python: %s\n", what);
  PyErr_Print();
  abort();
}

static void start_python(void) {
  PyPreConfig pre;
  PyPreConfig_InitPythonConfig(&pre);
  /* Plain malloc: the sanitizers see every object's memory. */
  pre.allocator = PYMEM_ALLOCATOR_MALLOC;
  pre.utf8_mode = 1;
  if (PyStatus_Exception(Py_PreInitialize(&pre))) abort();
  if (PyImport_AppendInittab("marcato._marcato", PyInit__marcato) < 0) abort();
  Py_InitializeEx(0);
  PyObject *path = PySys_GetObject("path"); /* borrowed */
  PyObject *dir = PyUnicode_FromString(MARCATO_PYTHON_DIR);
  if (!path || !dir || PyList_Insert(path, 0, dir) < 0) fail_python("sys.path");
  Py_DECREF(dir);
  PyObject *globals = PyDict_New();
  if (!globals ||
      PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) < 0)
    fail_python("globals");
  PyObject *done = PyRun_String(harness, Py_file_input, globals, globals);
  if (!done) fail_python("the harness");
  Py_DECREF(done);
  check_fn = PyDict_GetItemString(globals, "check");
  if (!check_fn) fail_python("no check()");
  Py_INCREF(check_fn);
  Py_DECREF(globals);
}

int marcato_fuzz_python(const uint8_t *data, size_t size) {
  if (!check_fn) start_python();
  PyObject *bytes =
      PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)size);
  if (!bytes) fail_python("bytes");
  PyObject *r = PyObject_CallOneArg(check_fn, bytes);
  Py_DECREF(bytes);
  if (!r) fail_python("an exception the package does not document");
  Py_DECREF(r);
  return 0;
}
