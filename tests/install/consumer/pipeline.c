/* Compiles and links against the installed pipeline library. */
#include <marcato.h>
#include <marcato_pipeline.h>

#include <stdio.h>

int main(void) {
  printf("marcato %s with the pipeline header\n", marc_version());
  return 0;
}
