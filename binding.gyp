{
  "targets": [
    {
      "target_name": "sampler_core",
      "sources": ["native/sampler-core.c", "native/quiet-rounds.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "libraries": ["-lpthread"]
    },
    {
      "target_name": "log_scanner",
      "sources": ["native/log-scanner.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
