use crate::rules::{Context, Report};

rule! {
    code: "MR306",
    name: "startup-probe-too-long",
    severity: Error,
    summary: "`healthCheck.startupSeconds`, the startup probe's window, must be from 1 to 240 seconds.",
    check: check,
}

/// Cloud Run's cap on a startup probe's window, `failureThreshold × periodSeconds`.
const STARTUP_LIMIT: u32 = 240;

fn check(cx: &Context, report: &mut Report) {
    let seconds = cx.spec.health_check.startup_seconds;
    if (1..=STARTUP_LIMIT).contains(&seconds) {
        return;
    }
    let (message, fixed) = if seconds == 0 {
        ("`healthCheck.startupSeconds` is 0: no instance could ever start".to_string(), 1)
    } else {
        (
            format!("`healthCheck.startupSeconds` is {seconds}, over the {STARTUP_LIMIT} seconds Cloud Run allows a startup probe"),
            STARTUP_LIMIT,
        )
    };
    report
        .at(&RULE, "/healthCheck/startupSeconds", message)
        .help(format!(
            "use 1 to {STARTUP_LIMIT}: how long a new instance may take to start before Cloud Run stops it"
        ))
        .suggest(fixed.to_string());
}

#[cfg(test)]
mod tests {
    use crate::render::model::Model;

    fn spec(health_check: &str) -> crate::Spec {
        let source = format!("version: 1\nproject: my-project\nservice:\n  name: my-app\n  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0\n  minInstances: 1\nregions: [{{name: us-central1}}, {{name: europe-west1}}]\nloadBalancer:\n  domains: [app.example.com]\nhealthCheck:\n{health_check}");
        let checked = crate::check(&source, "t.yaml");
        assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
        checked.spec.unwrap()
    }

    /// The startup window never exceeds `startupSeconds`, and the period stays within 240.
    #[test]
    fn the_startup_probe_fits_the_window() {
        for (health_check, period, failures) in [
            ("  intervalSeconds: 10\n", 10, 24),
            ("  intervalSeconds: 7\n", 7, 34),
            ("  intervalSeconds: 300\n  timeoutSeconds: 1\n", 240, 1),
            ("  intervalSeconds: 30\n  startupSeconds: 20\n", 20, 1),
        ] {
            let model = Model::new(&spec(health_check));
            let startup = &model.probes.startup;
            assert_eq!((startup.period_seconds, startup.failure_threshold), (period, failures), "{health_check}");
            assert!(startup.period_seconds * startup.failure_threshold <= 240);
        }
    }
}
