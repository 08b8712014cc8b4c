//! A query string through every page's query and every field parser.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    agentgate::routes::fuzz_targets::query_string(data);
});
