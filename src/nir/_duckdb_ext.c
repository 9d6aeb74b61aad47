/*
 * nir's SQL functions as a DuckDB extension: nir_valid, nir_error_code and nir_compact
 * run on DuckDB's own threads, without the Arrow round trip and the GIL of a Python
 * function (nir.duckdb loads it; see its docstring for when).
 *
 * No rule lives here. Every value goes to nir_sql_verdict, the C entry of the already
 * loaded nir._speedups (configured by nir._accel with nir._rules), whose address
 * nir.duckdb hands over through nir_native_bind before DuckDB loads this file: nothing
 * that SQL can reach takes an address. Unbound, every function fails its query.
 *
 * Built against DuckDB's stable C extension API (C_STRUCT ABI, v1.2.0; the headers in
 * third_party/duckdb). A plain shared library: no Python header, no libpython.
 */
#define _POSIX_C_SOURCE 200809L /* localtime_r */
#define DUCKDB_EXTENSION_NAME nir_native
#include "duckdb_extension.h"
DUCKDB_EXTENSION_EXTERN

#include <stdint.h>
#include <string.h>
#include <time.h>

/* _speedups.c's nir_sql_verdict (its comment is the contract). */
typedef int (*Verdict)(const unsigned char *s, size_t n, int year, int month, char *code,
                       size_t code_size, char *number, size_t number_size,
                       size_t *number_length);

static Verdict verdict; /* set once by nir_native_bind, before any function runs */

/* Called by nir.duckdb (ctypes) with the address of _speedups' nir_sql_verdict. */
__attribute__((visibility("default"))) void
nir_native_bind(Verdict entry)
{
    verdict = entry;
}

/* What a function writes from a verdict. */
typedef enum { OUT_VALID, OUT_ERROR_CODE, OUT_COMPACT } Output;

static const Output outputs[] = {OUT_VALID, OUT_ERROR_CODE, OUT_COMPACT};

/* Today's civil date, as nir's date.today() (local time). */
static void
today(int *year, int *month)
{
    time_t now = time(NULL);
    struct tm local;
    if (localtime_r(&now, &local) == NULL) {
        *year = 0; /* out of the C rules' range: nir_sql_verdict asks Python */
        *month = 1;
        return;
    }
    *year = local.tm_year + 1900;
    *month = local.tm_mon + 1;
}

static void
run(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output)
{
    const Output what = *(const Output *)duckdb_scalar_function_get_extra_info(info);
    if (verdict == NULL) {
        duckdb_scalar_function_set_error(info, "nir: the native functions are not bound to nir");
        return;
    }
    idx_t size = duckdb_data_chunk_get_size(input);
    duckdb_vector values = duckdb_data_chunk_get_vector(input, 0);
    duckdb_string_t *strings = (duckdb_string_t *)duckdb_vector_get_data(values);
    uint64_t *in_validity = duckdb_vector_get_validity(values);
    bool *flags = what == OUT_VALID ? (bool *)duckdb_vector_get_data(output) : NULL;
    duckdb_vector_ensure_validity_writable(output);
    uint64_t *out_validity = duckdb_vector_get_validity(output);
    int year, month;
    today(&year, &month);
    for (idx_t row = 0; row < size; row++) {
        if (in_validity != NULL && !((in_validity[row >> 6] >> (row & 63)) & 1)) {
            duckdb_validity_set_row_invalid(out_validity, row); /* NULL in, NULL out */
            continue;
        }
        duckdb_string_t *value = &strings[row];
        uint32_t length = value->value.inlined.length;
        const char *stored =
            length <= 12 ? value->value.inlined.inlined : value->value.pointer.ptr;
        const unsigned char *text = (const unsigned char *)stored;
        char code[32];
        char number[256];
        size_t number_length;
        int valid = verdict(text, length, year, month, code, sizeof code, number, sizeof number,
                            &number_length);
        if (valid < 0) {
            duckdb_scalar_function_set_error(info, "nir: a value could not be judged (see stderr)");
            return;
        }
        if (what == OUT_VALID) {
            flags[row] = valid == 1;
        }
        else if (what == OUT_ERROR_CODE && valid) {
            duckdb_validity_set_row_invalid(out_validity, row); /* no error: NULL */
        }
        else if (what == OUT_ERROR_CODE) {
            duckdb_vector_assign_string_element_len(output, row, code, strlen(code));
        }
        else {
            duckdb_vector_assign_string_element_len(output, row, number, number_length);
        }
    }
}

/* Register `name` (VARCHAR -> `result`), computing `what`; false on failure. */
static bool
add_function(duckdb_connection connection, const char *name, duckdb_type result,
             const Output *what)
{
    duckdb_scalar_function function = duckdb_create_scalar_function();
    duckdb_scalar_function_set_name(function, name);
    duckdb_logical_type text = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
    duckdb_logical_type returned = duckdb_create_logical_type(result);
    duckdb_scalar_function_add_parameter(function, text);
    duckdb_scalar_function_set_return_type(function, returned);
    duckdb_scalar_function_set_extra_info(function, (void *)what, NULL);
    duckdb_scalar_function_set_function(function, run);
    bool ok = duckdb_register_scalar_function(connection, function) == DuckDBSuccess;
    duckdb_destroy_logical_type(&text);
    duckdb_destroy_logical_type(&returned);
    duckdb_destroy_scalar_function(&function);
    return ok;
}

/* The names nir.duckdb's macros call (nir_valid(v) is _nir_valid_native(CAST(v AS VARCHAR))). */
DUCKDB_EXTENSION_ENTRYPOINT(duckdb_connection connection, duckdb_extension_info info,
                            struct duckdb_extension_access *access)
{
    if (!add_function(connection, "_nir_valid_native", DUCKDB_TYPE_BOOLEAN, &outputs[OUT_VALID]) ||
        !add_function(connection, "_nir_error_code_native", DUCKDB_TYPE_VARCHAR,
                      &outputs[OUT_ERROR_CODE]) ||
        !add_function(connection, "_nir_compact_native", DUCKDB_TYPE_VARCHAR,
                      &outputs[OUT_COMPACT])) {
        access->set_error(info, "nir: could not register the native functions");
        return false;
    }
    return true;
}
