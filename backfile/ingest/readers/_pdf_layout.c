/* A born-digital PDF page's layout in native code: `pdf_text.lines_of` and `pdf_text.gutters`.
 *
 * The same rules as the Python they stand for, the same results to the bit
 * (tests/ingest/test_pdf_words_native.py compares the two on generated words), without
 * numpy's cost a call on arrays of a few hundred words. The arrays come in through the
 * buffer protocol: numpy's float64 and int64 arrays, contiguous.
 *
 * lines(middle, x0, height, chosen, group) -> (order, starts, groups)
 *   the words `chosen` (numbers into the page's arrays) as lines, top to bottom, each left
 *   to right, a word joining the line whose mean middle is within half its tallest word's
 *   height, words of different groups (columns; None: one group) never on one line.
 *   order   bytes of int64: the words' numbers, one line after another
 *   starts  where each line starts in `order`; groups: each line's group
 *
 * gutters(height, x0, x1, chosen, width) -> [(low, high), …]
 *   the vertical strips between a page's columns.
 *
 * Built by `pip install -e .` (setup.py), beside `_pdf_words.c`; where no compiler is at
 * hand `pdf_text` runs its Python path.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>

/* ---- lines: pdf_text.lines_of ---- */

typedef struct {
    long long group;
    double middle, x0;
    Py_ssize_t position; /* in `chosen`: numpy's lexsort is stable */
    long long word;
} Placed;

/* numpy's order of floats: NaN after every number. */
static int
compare_floats(double a, double b)
{
    int nan_a = isnan(a), nan_b = isnan(b);
    if (nan_a || nan_b)
        return nan_a - nan_b;
    return (a > b) - (a < b);
}

static int
by_group_middle_x(const void *left, const void *right)
{
    const Placed *a = left, *b = right;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    int order = compare_floats(a->middle, b->middle);
    if (order == 0)
        order = compare_floats(a->x0, b->x0);
    if (order == 0)
        order = (a->position > b->position) - (a->position < b->position);
    return order;
}

static int
by_x(const void *left, const void *right)
{
    const Placed *a = left, *b = right;
    int order = compare_floats(a->x0, b->x0);
    if (order == 0)
        order = (a->position > b->position) - (a->position < b->position);
    return order;
}

static int
buffer_of(PyObject *object, Py_buffer *view, const char *format, Py_ssize_t itemsize)
{
    if (PyObject_GetBuffer(object, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    if (view->itemsize != itemsize || view->format == NULL || view->format[0] == '\0' ||
        strchr(format, view->format[0]) == NULL) {
        PyErr_Format(PyExc_TypeError, "expected a contiguous array of %s", format);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *
lines(PyObject *module, PyObject *args)
{
    PyObject *middle_object, *x0_object, *height_object, *chosen_object, *group_object;
    if (!PyArg_ParseTuple(args, "OOOOO", &middle_object, &x0_object, &height_object,
                          &chosen_object, &group_object))
        return NULL;
    PyObject *result = NULL, *order = NULL, *starts = NULL, *groups = NULL;
    Placed *placed = NULL;
    Py_buffer middle_view, x0_view, height_view, chosen_view, group_view;
    int have_group = group_object != Py_None;
    if (buffer_of(middle_object, &middle_view, "d", 8) < 0)
        return NULL;
    if (buffer_of(x0_object, &x0_view, "d", 8) < 0)
        goto release_middle;
    if (buffer_of(height_object, &height_view, "d", 8) < 0)
        goto release_x0;
    if (buffer_of(chosen_object, &chosen_view, "lq", 8) < 0)
        goto release_height;
    if (have_group && buffer_of(group_object, &group_view, "lq", 8) < 0)
        goto release_chosen;

    const double *middle = middle_view.buf, *x0 = x0_view.buf, *height = height_view.buf;
    const long long *chosen = chosen_view.buf;
    const long long *group = have_group ? group_view.buf : NULL;
    Py_ssize_t count = chosen_view.len / 8, words = middle_view.len / 8;
    if (have_group && group_view.len / 8 != count) {
        PyErr_SetString(PyExc_ValueError, "group and chosen differ in length");
        goto release_all;
    }
    placed = PyMem_Malloc((count ? count : 1) * sizeof(Placed));
    if (placed == NULL) {
        PyErr_NoMemory();
        goto release_all;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        long long word = chosen[k];
        if (word < 0 || word >= words || word >= x0_view.len / 8 || word >= height_view.len / 8) {
            PyErr_SetString(PyExc_IndexError, "a chosen word is not on the page");
            goto free_placed;
        }
        placed[k].group = group ? group[k] : 0;
        placed[k].middle = middle[word];
        placed[k].x0 = x0[word];
        placed[k].position = k;
        placed[k].word = word;
    }
    qsort(placed, count, sizeof(Placed), by_group_middle_x);

    starts = PyList_New(0);
    groups = PyList_New(0);
    if (starts == NULL || groups == NULL)
        goto free_placed;
    /* pdf_text.line_starts_in_turn, and each line then sorted left to right */
    double total = 0.0, size = 0.0;
    Py_ssize_t in_line = 0, start = 0;
    for (Py_ssize_t k = 0; k <= count; k++) {
        int joins = 0;
        if (k < count && in_line > 0 && placed[k].group == placed[start].group &&
            fabs(placed[k].middle - total / (double)in_line) <= size * 0.5)
            joins = 1;
        if (joins) {
            total += placed[k].middle;
            in_line++;
            double tall = height[placed[k].word];
            if (tall > size)
                size = tall;
            continue;
        }
        if (in_line > 0) { /* the line before ends: its words left to right */
            for (Py_ssize_t j = start; j < k; j++)
                placed[j].position = j;
            qsort(placed + start, k - start, sizeof(Placed), by_x);
        }
        if (k == count)
            break;
        PyObject *where = PyLong_FromSsize_t(k), *of = PyLong_FromLongLong(placed[k].group);
        if (where == NULL || of == NULL || PyList_Append(starts, where) < 0 ||
            PyList_Append(groups, of) < 0) {
            Py_XDECREF(where);
            Py_XDECREF(of);
            goto free_placed;
        }
        Py_DECREF(where);
        Py_DECREF(of);
        start = k;
        in_line = 1;
        total = placed[k].middle;
        double tall = height[placed[k].word];
        size = tall > 1.0 ? tall : 1.0;
    }
    order = PyBytes_FromStringAndSize(NULL, count * 8);
    if (order == NULL)
        goto free_placed;
    long long *out = (long long *)PyBytes_AS_STRING(order);
    for (Py_ssize_t k = 0; k < count; k++)
        out[k] = placed[k].word;
    result = Py_BuildValue("(OOO)", order, starts, groups);

free_placed:
    PyMem_Free(placed);
release_all:
    Py_XDECREF(order);
    Py_XDECREF(starts);
    Py_XDECREF(groups);
    if (have_group)
        PyBuffer_Release(&group_view);
release_chosen:
    PyBuffer_Release(&chosen_view);
release_height:
    PyBuffer_Release(&height_view);
release_x0:
    PyBuffer_Release(&x0_view);
release_middle:
    PyBuffer_Release(&middle_view);
    return result;
}

/* ---- gutters: pdf_text.gutters ---- */

static int
by_value(const void *left, const void *right)
{
    return compare_floats(*(const double *)left, *(const double *)right);
}

/* numpy's astype(int) of a coordinate, clamped to [0, bins] as pdf_text.gutters clamps it. */
static Py_ssize_t
clamped(double x, Py_ssize_t bins)
{
    if (!(x >= 0.0))
        return 0;
    if (x >= (double)bins)
        return bins;
    return (Py_ssize_t)x;
}

static PyObject *
gutters(PyObject *module, PyObject *args)
{
    PyObject *height_object, *x0_object, *x1_object, *chosen_object;
    double width;
    if (!PyArg_ParseTuple(args, "OOOOd", &height_object, &x0_object, &x1_object, &chosen_object,
                          &width))
        return NULL;
    PyObject *result = NULL;
    double *heights = NULL;
    long long *change = NULL;
    Py_buffer height_view, x0_view, x1_view, chosen_view;
    if (buffer_of(height_object, &height_view, "d", 8) < 0)
        return NULL;
    if (buffer_of(x0_object, &x0_view, "d", 8) < 0)
        goto release_height;
    if (buffer_of(x1_object, &x1_view, "d", 8) < 0)
        goto release_x0;
    if (buffer_of(chosen_object, &chosen_view, "lq", 8) < 0)
        goto release_x1;
    const double *height = height_view.buf, *x0 = x0_view.buf, *x1 = x1_view.buf;
    const long long *chosen = chosen_view.buf;
    Py_ssize_t count = chosen_view.len / 8;
    Py_ssize_t words = height_view.len / 8;
    if (x0_view.len / 8 < words)
        words = x0_view.len / 8;
    if (x1_view.len / 8 < words)
        words = x1_view.len / 8;
    result = PyList_New(0);
    if (result == NULL || count < 20)
        goto release_all;
    for (Py_ssize_t k = 0; k < count; k++) {
        if (chosen[k] < 0 || chosen[k] >= words) {
            PyErr_SetString(PyExc_IndexError, "a chosen word is not on the page");
            goto failed;
        }
    }
    /* the words' median height */
    heights = PyMem_Malloc(count * sizeof(double));
    if (heights == NULL) {
        PyErr_NoMemory();
        goto failed;
    }
    for (Py_ssize_t k = 0; k < count; k++)
        heights[k] = height[chosen[k]];
    qsort(heights, count, sizeof(double), by_value);
    Py_ssize_t middle = count / 2;
    double size = count % 2 ? heights[middle] : (heights[middle - 1] + heights[middle]) / 2.0;
    /* how many words lie over each point of the page's width */
    double bins_wide = ceil(width);
    if (!(bins_wide < 1e8)) {
        PyErr_SetString(PyExc_ValueError, "the page is too wide to look for gutters");
        goto failed;
    }
    Py_ssize_t bins = bins_wide > 1.0 ? (Py_ssize_t)bins_wide : 1;
    change = PyMem_Calloc(bins + 1, sizeof(long long));
    if (change == NULL) {
        PyErr_NoMemory();
        goto failed;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        change[clamped(x0[chosen[k]], bins)] += 1;
        change[clamped(ceil(x1[chosen[k]]), bins)] -= 1;
    }
    long long cover = 0;
    Py_ssize_t left = -1, right = -1;
    for (Py_ssize_t k = 0; k < bins; k++) { /* change becomes the cover, in place */
        cover += change[k];
        change[k] = cover;
        if (cover != 0) {
            if (left < 0)
                left = k;
            right = k;
        }
    }
    if (left < 0)
        goto release_all;
    long long allowed = count / 200 > 1 ? count / 200 : 1;
    double least_width = size * 0.8 > 4.0 ? size * 0.8 : 4.0;
    double fair_share = count * 0.08 > 5.0 ? count * 0.08 : 5.0;
    Py_ssize_t k = left;
    while (k <= right) {
        if (change[k] > allowed) {
            k++;
            continue;
        }
        Py_ssize_t on = k;
        while (k <= right && change[k] <= allowed)
            k++;
        double low = (double)on, high = (double)k;
        if (high - low < least_width)
            continue;
        /* a gutter only if both sides hold a fair share of the words (not an indent) */
        Py_ssize_t leftward = 0, rightward = 0;
        for (Py_ssize_t j = 0; j < count; j++) {
            leftward += x1[chosen[j]] <= low + 1;
            rightward += x0[chosen[j]] >= high - 1;
        }
        if ((double)(leftward < rightward ? leftward : rightward) >= fair_share) {
            PyObject *strip = Py_BuildValue("(dd)", low, high);
            if (strip == NULL || PyList_Append(result, strip) < 0) {
                Py_XDECREF(strip);
                goto failed;
            }
            Py_DECREF(strip);
        }
    }
    goto release_all;

failed:
    Py_CLEAR(result);
release_all:
    PyMem_Free(heights);
    PyMem_Free(change);
    PyBuffer_Release(&chosen_view);
release_x1:
    PyBuffer_Release(&x1_view);
release_x0:
    PyBuffer_Release(&x0_view);
release_height:
    PyBuffer_Release(&height_view);
    return result;
}

static PyMethodDef methods[] = {
    {"lines", lines, METH_VARARGS,
     "lines(middle, x0, height, chosen, group) -> (order, starts, groups): pdf_text.lines_of"},
    {"gutters", gutters, METH_VARARGS,
     "gutters(height, x0, x1, chosen, width) -> [(low, high), ...]: pdf_text.gutters"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pdf_layout",
    "A PDF page's lines and gutters (pdf_text.lines_of and pdf_text.gutters in C).", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__pdf_layout(void)
{
    return PyModule_Create(&module);
}
