/* The MARCspec test suite: every spec in valid/ compiles, every one in
 * invalid/ is rejected with a position inside the text. Files named
 * after one grammar rule (ComparisonString, Indicators, PositionOrRange,
 * SubfieldRange, SubfieldTag, SubSpec) hold fragments: each is put into
 * the smallest spec that holds that rule, and an invalid fragment must be
 * rejected at a position inside the fragment, not in what was put around
 * it. */
#include "common/dump.h"
#include "marcato.h"

#include <cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
static size_t counts[2][2]; /* [valid file][as expected] */

/* The text a fragment of file `name` becomes: prefix + data + suffix. */
static void wrap(const char *name, const char **pre, const char **post) {
  static const struct {
    const char *rule, *pre, *post;
  } rules[] = {
      {"ComparisonString", "...{$a=\\", "}"},
      {"Indicators", "...^", ""},
      {"PositionOrRange", ".../", ""},
      {"SubfieldRange", "...$", ""},
      {"SubfieldTag", "...$", ""},
      {"SubSpec", "...", ""},
  };
  *pre = *post = "";
  if (!strncmp(name, "wildCombination_", 16)) return;
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
    if (strstr(name, rules[i].rule)) {
      *pre = rules[i].pre;
      *post = rules[i].post;
    }
}

static size_t chars(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static void run_case(const char *file, const char *name, const char *data,
                     int valid) {
  const char *pre, *post;
  wrap(name, &pre, &post);
  char text[512];
  snprintf(text, sizeof text, "%s%s%s", pre, data, post);
  marc_error err;
  marc_spec *sp = marc_spec_compile(text, &err);
  int ok;
  if (valid) {
    ok = sp != NULL;
    if (!ok)
      fprintf(stderr, "%s: '%s' should compile: position %zu: %s\n", file, text,
              err.position, err.message);
  } else {
    ok = !sp && err.code == MARC_E_INVALID && err.message[0] &&
         err.position >= chars(pre) && err.position <= chars(text);
    if (!ok)
      fprintf(stderr,
              "%s: '%s' should be rejected inside '%s' (got %s, "
              "position %zu)\n",
              file, text, data, sp ? "a spec" : "an error", err.position);
  }
  marc_spec_free(sp);
  counts[valid][ok]++;
  failures += !ok;
}

static int run_dir(const char *root, const char *sub, int valid) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/%s", root, sub);
  DIR *d = opendir(dir);
  if (!d) return 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    size_t n = strlen(de->d_name);
    if (n < 5 || strcmp(de->d_name + n - 5, ".json")) continue;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    uint8_t *bytes = NULL;
    size_t len = 0;
    char *json = test_read_file(path, &bytes, &len) == 0 ? (char *)bytes : NULL;
    cJSON *doc = json ? cJSON_Parse(json) : NULL;
    cJSON *tests = cJSON_GetObjectItem(doc, "tests");
    if (!cJSON_IsArray(tests)) {
      fprintf(stderr, "%s: not a test file\n", path);
      failures++;
    }
    cJSON *t;
    cJSON_ArrayForEach(t, tests) {
      cJSON *data = cJSON_GetObjectItem(t, "data");
      cJSON *v = cJSON_GetObjectItem(t, "valid");
      if (!cJSON_IsString(data) || !cJSON_IsBool(v) ||
          cJSON_IsTrue(v) != valid) {
        fprintf(stderr, "%s: a test without data, or in the wrong folder\n",
                path);
        failures++;
        continue;
      }
      run_case(path, de->d_name, data->valuestring, valid);
    }
    cJSON_Delete(doc);
    free(json);
  }
  closedir(d);
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) return 77;
  if (!run_dir(argv[1], "valid", 1) || !run_dir(argv[1], "invalid", 0)) {
    fprintf(stderr, "no test suite at %s\n", argv[1]);
    return 77;
  }
  printf("valid: %zu of %zu compile; invalid: %zu of %zu rejected\n",
         counts[1][1], counts[1][0] + counts[1][1], counts[0][1],
         counts[0][0] + counts[0][1]);
  /* The copy in tests/data holds 2,887 valid and 88 invalid cases: fewer
   * means files were not found or not read. */
  if (counts[1][0] + counts[1][1] < 2887 || counts[0][0] + counts[0][1] < 88)
    failures++;
  return failures ? 1 : 0;
}
