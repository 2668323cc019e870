use crate::rules::{Context, Report};

use super::probe_timing_range::SECONDS;

rule! {
    code: "MR306",
    name: "startup-probe-too-long",
    severity: Error,
    summary: "The startup probe's period (`intervalSeconds`) and its whole window (`intervalSeconds` × `unhealthyThreshold`) must each be at most 240 seconds.",
    check: check,
}

/// Cloud Run's cap on a startup probe's `periodSeconds` and on `failureThreshold × periodSeconds`.
const STARTUP_LIMIT: u64 = 240;

fn check(cx: &Context, report: &mut Report) {
    let hc = &cx.spec.health_check;
    // An interval outside 1–300 is MR303's.
    if !SECONDS.contains(&hc.interval_seconds) {
        return;
    }
    let interval = u64::from(hc.interval_seconds);
    let threshold = u64::from(hc.unhealthy_threshold);
    if interval > STARTUP_LIMIT {
        report
            .at(
                &RULE,
                "/healthCheck/intervalSeconds",
                format!("`healthCheck.intervalSeconds` is {interval}, over the {STARTUP_LIMIT} seconds Cloud Run allows for a startup probe's period"),
            )
            .help(format!("use {STARTUP_LIMIT} or less: multirun runs the startup probe every `intervalSeconds`"));
        return;
    }
    let window = interval * threshold;
    if window <= STARTUP_LIMIT {
        return;
    }
    let explicit_threshold = cx.tree.locate("/healthCheck/unhealthyThreshold").1 == 0;
    let pointer = if explicit_threshold {
        "/healthCheck/unhealthyThreshold"
    } else {
        "/healthCheck/intervalSeconds"
    };
    let max_threshold = STARTUP_LIMIT / interval;
    let max_interval = STARTUP_LIMIT / threshold;
    let help = if max_interval >= 1 {
        format!("lower `unhealthyThreshold` to {max_threshold} or less, or `intervalSeconds` to {max_interval} or less")
    } else {
        format!("lower `unhealthyThreshold` to {max_threshold} or less")
    };
    report
        .at(
            &RULE,
            pointer,
            format!(
                "the startup probe's window, `intervalSeconds` × `unhealthyThreshold` = {interval} × {threshold} = {window} s, is over Cloud Run's {STARTUP_LIMIT}-second limit"
            ),
        )
        .help(help);
}

#[cfg(test)]
mod tests {
    #[test]
    fn huge_threshold_neither_overflows_nor_suggests_a_zero_interval() {
        let source = "version: 1\nproject: my-project\nservice:\n  name: my-app\n  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0\n  minInstances: 1\nregions: [{name: us-central1}, {name: europe-west1}]\nloadBalancer:\n  domains: [app.example.com]\nhealthCheck:\n  intervalSeconds: 300\n  unhealthyThreshold: 4294967295\n";
        let checked = crate::check(source, "t.yaml");
        // 300 s is over the 240 s period cap: that finding replaces the window one.
        let mr306: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code == "MR306")
            .collect();
        assert_eq!(mr306.len(), 1);
        assert_eq!(mr306[0].path, "/healthCheck/intervalSeconds");

        let source = source.replace("intervalSeconds: 300", "intervalSeconds: 1");
        let checked = crate::check(&source, "t.yaml");
        let d = checked
            .diagnostics
            .iter()
            .find(|d| d.code == "MR306")
            .expect("window over 240 s");
        assert!(d.message.contains("= 4294967295 s"), "{}", d.message);
        assert_eq!(
            d.help.as_deref(),
            Some("lower `unhealthyThreshold` to 240 or less")
        );
    }
}
