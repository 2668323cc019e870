//! MR0xx: input and structure. These are emitted by the parse and schema stages
//! (`crate::check`), not by semantic checks.

use super::{Area, Rule};
use crate::registry::{RuleMeta, Severity};

macro_rules! structural {
    ($ident:ident, $code:literal, $name:literal, $summary:literal) => {
        pub static $ident: Rule = Rule {
            meta: RuleMeta {
                code: $code,
                name: $name,
                severity: Severity::Error,
                summary: $summary,
                doc: rule_doc!($code, $name),
            },
            check: None,
        };
    };
}

structural!(
    YAML_SYNTAX,
    "MR001",
    "yaml-syntax",
    "The file is not valid YAML."
);
structural!(
    UNKNOWN_FIELD,
    "MR002",
    "unknown-field",
    "A key the spec does not define (often a typo)."
);
structural!(
    MISSING_FIELD,
    "MR003",
    "missing-field",
    "A required field is absent."
);
structural!(
    WRONG_TYPE,
    "MR004",
    "wrong-type",
    "A value has the wrong type (for example a string where a number belongs)."
);
structural!(
    INVALID_VALUE,
    "MR005",
    "invalid-value",
    "A value is not one of the allowed choices."
);
structural!(
    DUPLICATE_KEY,
    "MR006",
    "duplicate-key",
    "A mapping repeats a key."
);
structural!(
    UNSUPPORTED_YAML,
    "MR007",
    "unsupported-yaml",
    "A YAML feature a spec cannot use: tags, or several documents in one file."
);
structural!(
    INPUT_LIMIT,
    "MR008",
    "input-limit",
    "The input exceeds a size, depth or alias-expansion limit."
);
structural!(
    UNSUPPORTED_VERSION,
    "MR009",
    "unsupported-version",
    "The spec's `version` is not one this multirun understands."
);
structural!(
    INVALID_ENCODING,
    "MR010",
    "invalid-encoding",
    "The file is not UTF-8 text."
);
structural!(
    INTERNAL_ERROR,
    "MR011",
    "internal-error",
    "multirun itself failed on this input (a bug; please report it)."
);

pub static AREA: Area = Area {
    name: "input",
    rules: &[
        &YAML_SYNTAX,
        &UNKNOWN_FIELD,
        &MISSING_FIELD,
        &WRONG_TYPE,
        &INVALID_VALUE,
        &DUPLICATE_KEY,
        &UNSUPPORTED_YAML,
        &INPUT_LIMIT,
        &UNSUPPORTED_VERSION,
        &INVALID_ENCODING,
        &INTERNAL_ERROR,
    ],
};
