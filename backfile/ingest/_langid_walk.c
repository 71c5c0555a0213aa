/* py3langid's byte automaton walked in native code: `language._identifier`'s feature counts.
 *
 * py3langid (the langid.py model) finds a text's features by walking a byte automaton
 * over its UTF-8 bytes, one table lookup a byte, in Python (`py3langid.langid.visit_counts`):
 * three quarters of detecting an article's language. This is the same walk, to the same
 * counts (tests/ingest/test_language_walk.py compares the two on every language's text).
 *
 * visit_counts(nextmove, rowbase, output, text, features[, as_arrays])
 *     -> {feature: count}, or with as_arrays (features, counts) as bytes, or None
 *   nextmove  the automaton's transitions (a buffer of unsigned 16-, 32- or 64-bit ints)
 *   rowbase   each state's first transition (int64), pre-shifted by 8 as py3langid keeps it
 *   output    each state's feature, or -1 (int32)
 *   text      the text's bytes
 *   features  how many features the model has (its weights' rows)
 *   The counts in the order their features were first met, as a Counter of py3langid's
 *   walk has them; None where the text reaches no feature, as py3langid's own gives.
 *
 * Built by `pip install -e .` (setup.py) beside the PDF reader's; where no compiler is at
 * hand `language` walks in py3langid's Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int
unsigned_at(const Py_buffer *table, Py_ssize_t at, unsigned long long *value)
{
    if (at < 0 || at >= table->len / table->itemsize)
        return -1;
    switch (table->itemsize) {
    case 2: *value = ((const unsigned short *)table->buf)[at]; return 0;
    case 4: *value = ((const unsigned int *)table->buf)[at]; return 0;
    case 8: *value = ((const unsigned long long *)table->buf)[at]; return 0;
    default: return -1;
    }
}

/* The tally, a count for each of the model's features, kept between calls: allocating and
 * zeroing it (400 kB) cost more than walking a text. Only the features a walk met are set
 * back to zero after it. A call made while another holds it (the GIL is never released
 * here, so only a re-entrant one could) counts in a tally of its own. */
static unsigned int *kept_tally = NULL;
static Py_ssize_t kept_features = 0;
static int kept_in_use = 0;

static unsigned int *
take_tally(Py_ssize_t features, int *kept)
{
    *kept = 0;
    if (kept_in_use)
        return PyMem_Calloc((size_t)features, sizeof(unsigned int));
    if (kept_features != features) {
        PyMem_Free(kept_tally);
        kept_features = 0;
        kept_tally = PyMem_Calloc((size_t)features, sizeof(unsigned int));
        if (kept_tally == NULL)
            return NULL;
        kept_features = features;
    }
    kept_in_use = *kept = 1;
    return kept_tally;
}

static void
give_back_tally(unsigned int *tally, int kept, const int *seen, Py_ssize_t distinct)
{
    if (tally == NULL)
        return;
    if (!kept) {
        PyMem_Free(tally);
        return;
    }
    for (Py_ssize_t n = 0; n < distinct; n++)
        tally[seen[n]] = 0;
    kept_in_use = 0;
}

/* (features, counts): the features met as int64s and their counts as float32s, in the
 * order first met, each as bytes for numpy.frombuffer (no int object made a feature). */
static PyObject *
arrays_of(const int *seen, const unsigned int *tally, Py_ssize_t distinct)
{
    PyObject *features = PyBytes_FromStringAndSize(NULL, distinct * (Py_ssize_t)sizeof(long long));
    PyObject *counts = PyBytes_FromStringAndSize(NULL, distinct * (Py_ssize_t)sizeof(float));
    if (features == NULL || counts == NULL) {
        Py_XDECREF(features);
        Py_XDECREF(counts);
        return NULL;
    }
    long long *feature_at = (long long *)PyBytes_AS_STRING(features);
    float *count_at = (float *)PyBytes_AS_STRING(counts);
    for (Py_ssize_t n = 0; n < distinct; n++) {
        feature_at[n] = seen[n];
        count_at[n] = (float)tally[seen[n]];
    }
    return Py_BuildValue("(NN)", features, counts);
}

static PyObject *
visit_counts(PyObject *self, PyObject *args)
{
    Py_buffer nextmove, rowbase, output, text;
    Py_ssize_t features;
    int as_arrays = 0;
    if (!PyArg_ParseTuple(args, "y*y*y*y*n|p", &nextmove, &rowbase, &output, &text, &features,
                          &as_arrays))
        return NULL;
    PyObject *counts = NULL;
    unsigned int *tally = NULL;
    int *seen = NULL, kept = 0;
    Py_ssize_t distinct = 0;
    if (rowbase.itemsize != 8 || output.itemsize != 4 || features <= 0) {
        PyErr_SetString(PyExc_ValueError, "rowbase must hold int64, output int32");
        goto done;
    }
    const long long *rows = rowbase.buf;
    const int *feature_of = output.buf;
    Py_ssize_t states = rowbase.len / 8, outputs = output.len / 4;
    const unsigned char *bytes = text.buf;
    /* counted in an array a feature, the features met listed in the order first met */
    tally = take_tally(features, &kept);
    seen = PyMem_Malloc(sizeof(int) * (size_t)(text.len < features ? text.len + 1 : features));
    if (tally == NULL || seen == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    unsigned long long state = 0;
    for (Py_ssize_t i = 0; i < text.len; i++) {
        if (state >= (unsigned long long)states ||
            unsigned_at(&nextmove, (Py_ssize_t)(rows[state] + bytes[i]), &state) < 0 ||
            state >= (unsigned long long)outputs) {
            PyErr_SetString(PyExc_IndexError, "the automaton left its tables");
            goto done;
        }
        int feature = feature_of[state];
        if (feature < 0)
            continue;
        if (feature >= features) {
            PyErr_SetString(PyExc_IndexError, "a feature past the model's");
            goto done;
        }
        if (tally[feature]++ == 0)
            seen[distinct++] = feature;
    }
    if (distinct == 0) {
        counts = Py_None;
        Py_INCREF(counts);
        goto done;
    }
    if (as_arrays) {
        counts = arrays_of(seen, tally, distinct);
        goto done;
    }
    counts = PyDict_New();
    for (Py_ssize_t n = 0; counts != NULL && n < distinct; n++) {
        PyObject *key = PyLong_FromLong(seen[n]);
        PyObject *value = PyLong_FromUnsignedLong(tally[seen[n]]);
        if (key == NULL || value == NULL || PyDict_SetItem(counts, key, value) < 0)
            Py_CLEAR(counts);
        Py_XDECREF(key);
        Py_XDECREF(value);
    }
done:
    give_back_tally(tally, kept, seen, distinct);
    PyMem_Free(seen);
    PyBuffer_Release(&nextmove);
    PyBuffer_Release(&rowbase);
    PyBuffer_Release(&output);
    PyBuffer_Release(&text);
    return counts;
}

static PyMethodDef methods[] = {
    {"visit_counts", visit_counts, METH_VARARGS,
     "py3langid's feature counts of a text's bytes ({feature: count}, or with as_arrays two "
     "bytes of int64 features and float32 counts), or None where it reaches no feature."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_langid_walk", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__langid_walk(void)
{
    return PyModule_Create(&module);
}
