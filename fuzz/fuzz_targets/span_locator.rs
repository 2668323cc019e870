//! The span locator: any YAML the parser accepts, and any JSON Pointer, resolves to a span
//! inside the input on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use multirun_core::yaml::{parse, Limits};

fuzz_target!(|input: (&str, &str)| {
    let (source, pointer) = input;
    let (tree, _) = parse(source, Limits::default());
    let Some(tree) = tree else { return };
    for span in [tree.span_for(pointer), tree.key_span_for(pointer)] {
        assert!(
            span.start <= span.end && span.end <= source.len(),
            "{span:?} outside {} bytes",
            source.len()
        );
        assert!(source.is_char_boundary(span.start) && source.is_char_boundary(span.end));
    }
    let index = multirun_core::text::LineIndex::new(source);
    let (line, column) = index.line_col(tree.span_for(pointer).start);
    assert!(line >= 1 && column >= 1);
});
