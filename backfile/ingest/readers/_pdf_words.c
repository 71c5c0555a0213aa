/* The words of a born-digital PDF page's text layer, with their boxes, in native code.
 *
 * `pdf_words.page_words` in C: the same rules, the same results (tests/ingest/
 * test_pdf_words_native.py and bench/pdf_text_check.py compare the two page by page), at a
 * fraction of the cost. Python calls PDFium through ctypes at about 0.2 µs a call, two calls
 * a word; here the calls are plain C calls to the same functions of the same PDFium, whose
 * addresses Python hands over once (`configure`).
 *
 * page_words(textpage, text, page_height) -> (texts, boxes, rotated, split)
 *   textpage     the address of PDFium's FPDF_TEXTPAGE
 *   text         the page's text, one character per PDFium character (soft hyphens made "-")
 *   page_height  in points
 *   texts        each word's text: the runs of characters between breaks
 *   boxes        bytes of float64, four a word: x0, y0, x1, y1 from the page's top left
 *   rotated      bytes, one a word: 1 where the word is turned on the page
 *   split        (word, first, last) for each word to be read character by character
 *
 * The page's layout (lines, gutters) is in `_pdf_layout.c`.
 *
 * Built by `pip install -e .` (setup.py); where no compiler is at hand the build is skipped
 * and `pdf_words` runs its Python path, which gives the same words.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

typedef struct {
    float left, top, right, bottom;
} Rect;

typedef int (*LooseBoxFn)(void *, int, Rect *);
typedef float (*AngleFn)(void *, int);
typedef double (*FontSizeFn)(void *, int);

static LooseBoxFn loose_box = NULL;
static AngleFn char_angle = NULL;
static FontSizeFn font_size = NULL;

/* A box in doubles, as Python's float32 array made float64. */
typedef struct {
    double left, top, right, bottom;
} Box;

static int
box_of(void *page, Py_ssize_t index, Box *box)
{
    Rect rect = {0.0f, 0.0f, 0.0f, 0.0f};
    int found = loose_box(page, (int)index, &rect);
    box->left = rect.left;
    box->top = rect.top;
    box->right = rect.right;
    box->bottom = rect.bottom;
    return found != 0;
}

static int
is_break(Py_UCS4 code)
{
    return code == 0x20 || code == 0xA0 || code == 0x09 || code == 0x0A || code == 0x0D ||
           code == 0x3000 || code == 0xFFFE;
}

static int
is_digit(Py_UCS4 code)
{
    if (code < 0x80)
        return code >= '0' && code <= '9';
    return Py_UNICODE_ISDIGIT(code);
}

/* numpy.maximum and numpy.minimum: NaN wins. */
static double
larger(double a, double b)
{
    if (isnan(a) || isnan(b))
        return NAN;
    return a > b ? a : b;
}

static double
smaller(double a, double b)
{
    if (isnan(a) || isnan(b))
        return NAN;
    return a < b ? a : b;
}

static int
turned(void *page, Py_ssize_t index)
{
    double angle = char_angle(page, (int)index);
    return angle > 0.1 && fabs(angle - 2 * M_PI) > 0.1;
}

static int
same_size(void *page, Py_ssize_t these, Py_ssize_t those)
{
    double first = font_size(page, (int)these), second = font_size(page, (int)those);
    return fabs(second - first) <= 0.15 * larger(first, 1.0);
}

/* pdf_words.steps_at_numbers for one word: is the number at one end of the word set apart
 * from the rest (another size, raised or lowered, a gap)? The two letters where the digits
 * end are compared. */
static int
steps_at_number(void *page, int kind, const void *data, Py_ssize_t first, Py_ssize_t last)
{
    Py_ssize_t left;
    if (is_digit(PyUnicode_READ(kind, data, first))) {
        Py_ssize_t k = first;
        while (is_digit(PyUnicode_READ(kind, data, k)))
            k++;
        left = k - 1;
    } else {
        Py_ssize_t k = last;
        while (is_digit(PyUnicode_READ(kind, data, k)))
            k--;
        left = k;
    }
    Box a, b;
    int found_a = box_of(page, left, &a), found_b = box_of(page, left + 1, &b);
    double size_a = font_size(page, (int)left), size_b = font_size(page, (int)(left + 1));
    double height = larger(a.top - a.bottom, 1.0);
    return !found_a || !found_b || fabs(size_b - size_a) > 0.15 * larger(size_a, 1.0) ||
           fabs((b.top + b.bottom) - (a.top + a.bottom)) > height * 0.6 ||
           b.left - a.right > height * 0.25 || b.left < a.left - height * 0.5;
}

static PyObject *
configure(PyObject *module, PyObject *args)
{
    unsigned long long box, angle, size;
    if (!PyArg_ParseTuple(args, "KKK", &box, &angle, &size))
        return NULL;
    loose_box = (LooseBoxFn)(uintptr_t)box;
    char_angle = (AngleFn)(uintptr_t)angle;
    font_size = (FontSizeFn)(uintptr_t)size;
    Py_RETURN_NONE;
}

static PyObject *
page_words(PyObject *module, PyObject *args)
{
    unsigned long long address;
    PyObject *text;
    double page_height;
    if (!PyArg_ParseTuple(args, "KUd", &address, &text, &page_height))
        return NULL;
    if (loose_box == NULL || char_angle == NULL || font_size == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "_pdf_words.configure() was not called");
        return NULL;
    }
    void *page = (void *)(uintptr_t)address;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);

    PyObject *texts = PyList_New(0), *split = PyList_New(0);
    PyObject *boxes = NULL, *rotated = NULL;
    Py_ssize_t words = 0, capacity = 256;
    double *box_data = PyMem_Malloc(capacity * 4 * sizeof(double));
    char *turn_data = PyMem_Malloc(capacity);
    if (texts == NULL || split == NULL || box_data == NULL || turn_data == NULL) {
        PyErr_NoMemory();
        goto failed;
    }
    Py_ssize_t index = 0;
    while (index < length) {
        if (is_break(PyUnicode_READ(kind, data, index))) {
            index++;
            continue;
        }
        Py_ssize_t first = index, last = index;
        while (last + 1 < length && !is_break(PyUnicode_READ(kind, data, last + 1)))
            last++;
        index = last + 1;
        if (words == capacity) {
            capacity *= 2;
            double *more_boxes = PyMem_Realloc(box_data, capacity * 4 * sizeof(double));
            if (more_boxes == NULL) {
                PyErr_NoMemory();
                goto failed;
            }
            box_data = more_boxes;
            char *more_turns = PyMem_Realloc(turn_data, capacity);
            if (more_turns == NULL) {
                PyErr_NoMemory();
                goto failed;
            }
            turn_data = more_turns;
        }
        PyObject *word = PyUnicode_Substring(text, first, last + 1);
        if (word == NULL || PyList_Append(texts, word) < 0) {
            Py_XDECREF(word);
            goto failed;
        }
        Py_DECREF(word);

        /* the boxes of the word's first and last characters */
        Box a, b;
        int found_a = box_of(page, first, &a);
        int found_b = first == last ? found_a : box_of(page, last, &b);
        if (first == last)
            b = a;
        double height = a.top - a.bottom > 1.0 ? a.top - a.bottom : 1.0;
        int longer = last != first;
        int to_split = !found_a;
        int digit_first = is_digit(PyUnicode_READ(kind, data, first));
        int digit_last = is_digit(PyUnicode_READ(kind, data, last));
        if (digit_first != digit_last && steps_at_number(page, kind, data, first, last))
            to_split = 1;
        int askew =
            longer && (!found_b || fabs((b.top + b.bottom) - (a.top + a.bottom)) > height * 0.6 ||
                       b.left < a.left ||
                       b.right - a.right > height * 0.8 * (double)(last - first + 1));
        int turn = 0;
        if (!to_split && (askew || !longer)) {
            int first_turned = turned(page, first);
            int alike = !askew || (found_b && first_turned && turned(page, last) &&
                                   same_size(page, first, last));
            turn = first_turned && alike;
            if (!alike)
                to_split = 1;
        }
        double *out = box_data + 4 * words;
        out[0] = a.left;
        out[1] = page_height - larger(a.top, b.top);
        out[2] = larger(a.right, b.right);
        out[3] = page_height - smaller(a.bottom, b.bottom);
        turn_data[words] = (char)turn;
        if (to_split) {
            PyObject *entry = Py_BuildValue("(nnn)", words, first, last);
            if (entry == NULL || PyList_Append(split, entry) < 0) {
                Py_XDECREF(entry);
                goto failed;
            }
            Py_DECREF(entry);
        }
        words++;
    }
    boxes = PyBytes_FromStringAndSize((const char *)box_data, words * 4 * sizeof(double));
    rotated = PyBytes_FromStringAndSize(turn_data, words);
    if (boxes == NULL || rotated == NULL)
        goto failed;
    PyMem_Free(box_data);
    PyMem_Free(turn_data);
    return Py_BuildValue("(NNNN)", texts, boxes, rotated, split);

failed:
    PyMem_Free(box_data);
    PyMem_Free(turn_data);
    Py_XDECREF(texts);
    Py_XDECREF(split);
    Py_XDECREF(boxes);
    Py_XDECREF(rotated);
    return NULL;
}


static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(loose_box, angle, font_size): the addresses of PDFium's FPDFText_GetLooseCharBox, "
     "FPDFText_GetCharAngle and FPDFText_GetFontSize."},
    {"page_words", page_words, METH_VARARGS,
     "page_words(textpage, text, page_height) -> (texts, boxes, rotated, split)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pdf_words",
    "The words of a PDF page's text layer with their boxes (pdf_words.page_words in C).", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__pdf_words(void)
{
    return PyModule_Create(&module);
}
