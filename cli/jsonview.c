/*
 * jsonview: see jsonview.h.
 */
#include "jsonview.h"

#include <stdio.h>

const char *cli_jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "-";
}

void cli_print_list(json_t *a, size_t max)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) {
		if (max && i == max) {
			printf(", ... (%zu)", json_array_size(a));
			break;
		}
		if (json_is_integer(v))
			printf("%s%lld", i ? ", " : "", (long long)json_integer_value(v));
		else
			printf("%s%s", i ? ", " : "", json_string_value(v) ? json_string_value(v) : "");
	}
}
