// test_check.h — the pass/fail counters and the two checks the native test programs share: check()
// counts one condition, expect() checks a status and that the context's message names every part
// (the C API promises messages that name the call, the argument and the value; ctx NULL: the
// thread's last error, for calls that fail before a context exists).
#pragma once
#include <cstdio>
#include <string>
#include <vector>
#include "sparseretrain.h"

inline int g_passed = 0, g_failed = 0;

inline void check(bool ok, const std::string& what) {
    ok ? ++g_passed : ++g_failed;
    if (!ok) std::printf("FAIL: %s\n", what.c_str());
}

inline void expect(sr_context* ctx, sr_status st, sr_status want, const std::string& tag, std::vector<const char*> parts) {
    std::string msg = ctx ? sr_context_last_error(ctx) : sr_thread_last_error();  // NULL: the thread's error
    check(st == want, tag + ": status " + sr_status_name(st) + ", want " + sr_status_name(want) + " (" + msg + ")");
    for (const char* p : parts) check(msg.find(p) != std::string::npos, tag + ": message lacks '" + p + "': " + msg);
}
