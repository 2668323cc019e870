use crate::gcp::resources::{
    describe_bytes, parse_memory, to_quantity, MemoryError, MemoryUnit, MAX_MEMORY, MIN_MEMORY,
};
use crate::rules::{Context, Report};

rule! {
    code: "MR404",
    name: "memory-value",
    severity: Error,
    summary: "`service.memory` must be a number with a unit `Mi`, `Gi`, `M` or `G`, from 128 MiB to 32 GiB.",
    check: check,
}

/// Longest number the help quotes back (in a suggestion such as `512Mi`).
const MAX_ECHOED: usize = 24;

const UNITS: &str = "`Mi` (mebibytes), `Gi` (gibibytes), `M` (megabytes) or `G` (gigabytes)";

fn check(cx: &Context, report: &mut Report) {
    let text = cx.spec.service.memory.as_str();
    let memory = match parse_memory(text) {
        Ok(memory) => memory,
        Err(error) => return syntax(report, text, error),
    };
    let (min, max) = (MIN_MEMORY, MAX_MEMORY);
    if (min..=max).contains(&memory.bytes) {
        return;
    }
    let (limit, side) = if memory.bytes < min {
        (min, "below Cloud Run's minimum")
    } else {
        (max, "above Cloud Run's maximum")
    };
    let d = report.at(
        &RULE,
        "/service/memory",
        format!(
            "memory `{text}` is {}, {side} of {}",
            describe_bytes(memory.bytes),
            describe_bytes(limit)
        ),
    );
    // `128M` for `128Mi`: the same number in the binary unit fits, so the unit was the slip.
    let binary = match memory.unit {
        MemoryUnit::M => Some(MemoryUnit::Mi),
        MemoryUnit::G => Some(MemoryUnit::Gi),
        _ => None,
    };
    let number = &text[..text.len() - memory.unit.as_str().len()];
    let binary_fix = binary
        .filter(|_| number.len() <= MAX_ECHOED)
        .and_then(|unit| {
            let fixed = format!("{number}{}", unit.as_str());
            parse_memory(&fixed)
                .ok()
                .filter(|m| (min..=max).contains(&m.bytes))
                .map(|_| fixed)
        });
    let bound = to_quantity(limit).expect("limits are whole MiB");
    match binary_fix {
        Some(fixed) => d
            .help(format!(
                "`{}` means {}, so `{text}` is less than `{fixed}`; write `{fixed}` for {number} {}",
                memory.unit.as_str(),
                decimal_unit_bytes(memory.unit),
                if memory.unit == MemoryUnit::M { "MiB" } else { "GiB" }
            ))
            .suggest(fixed),
        None if memory.bytes < min => d.help(format!("use at least `{bound}`; Cloud Run's default is `512Mi`")),
        None => d.help(format!("use at most `{bound}`")),
    };
}

fn decimal_unit_bytes(unit: MemoryUnit) -> &'static str {
    match unit {
        MemoryUnit::G => "1,000,000,000 bytes",
        _ => "1,000,000 bytes",
    }
}

fn syntax(report: &mut Report, text: &str, error: MemoryError) {
    let at = "/service/memory";
    match error {
        MemoryError::Empty => {
            report.at(&RULE, at, "`memory` is empty").help(format!(
                "give a size with a unit, such as `512Mi`; units are {UNITS}"
            ));
        }
        MemoryError::NoNumber => {
            report
                .at(
                    &RULE,
                    at,
                    format!("memory `{text}` does not start with a number"),
                )
                .help(format!(
                    "write a number followed by a unit, such as `512Mi`; units are {UNITS}"
                ));
        }
        // A number too long to be a real size is not worth echoing back in a suggestion.
        MemoryError::NoUnit { number } | MemoryError::UnsupportedUnit { number, .. }
            if number.len() > MAX_ECHOED =>
        {
            report
                .at(
                    &RULE,
                    at,
                    format!("memory `{text}` is not a size Cloud Run takes"),
                )
                .help(format!(
                    "write a number followed by a unit, such as `512Mi`; units are {UNITS}"
                ));
        }
        MemoryError::NoUnit { number } => {
            // Offer the binary units that make the number a valid amount (`512` → `512Mi`).
            let fits: Vec<String> = [(MemoryUnit::Mi, "MiB"), (MemoryUnit::Gi, "GiB")]
                .into_iter()
                .filter(|(unit, _)| {
                    parse_memory(&format!("{number}{}", unit.as_str()))
                        .is_ok_and(|m| (MIN_MEMORY..=MAX_MEMORY).contains(&m.bytes))
                })
                .map(|(unit, name)| format!("`{number}{}` is {number} {name}", unit.as_str()))
                .collect();
            let examples = if fits.is_empty() {
                "such as `512Mi`".to_string()
            } else {
                fits.join(", ")
            };
            report
                .at(&RULE, at, format!("memory `{text}` has no unit"))
                .help(format!("add a unit ({examples}); units are {UNITS}"));
        }
        MemoryError::UnsupportedUnit {
            number,
            unit,
            bytes,
        } => {
            let d = report.at(
                &RULE,
                at,
                format!("memory `{text}` uses the unit `{unit}`, which Cloud Run does not take"),
            );
            let exact = |unit: MemoryUnit| format!("{number}{}", unit.as_str());
            match unit.to_ascii_lowercase().as_str() {
                "mi" | "mib" => d
                    .help(format!(
                        "write `{}`; units are {UNITS}",
                        exact(MemoryUnit::Mi)
                    ))
                    .suggest(exact(MemoryUnit::Mi)),
                "gi" | "gib" => d
                    .help(format!(
                        "write `{}`; units are {UNITS}",
                        exact(MemoryUnit::Gi)
                    ))
                    .suggest(exact(MemoryUnit::Gi)),
                "m" | "mb" => d.help(format!(
                    "write `{}` for {number} MiB or `{}` for {number} megabytes",
                    exact(MemoryUnit::Mi),
                    exact(MemoryUnit::M)
                )),
                "g" | "gb" => d.help(format!(
                    "write `{}` for {number} GiB or `{}` for {number} gigabytes",
                    exact(MemoryUnit::Gi),
                    exact(MemoryUnit::G)
                )),
                _ => match bytes.and_then(to_quantity) {
                    Some(same) => d
                        .help(format!(
                            "write the same amount as `{same}`; units are {UNITS}"
                        ))
                        .suggest(same),
                    None => d.help(format!("use one of {UNITS}, such as `512Mi`")),
                },
            };
        }
    }
}
