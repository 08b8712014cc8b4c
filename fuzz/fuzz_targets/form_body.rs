//! A urlencoded form body through the strict decoder, every form, every field parser.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    agentgate::routes::fuzz_targets::form_body(data);
});
