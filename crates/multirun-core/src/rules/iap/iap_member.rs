use crate::rules::{Context, Report};
use crate::text::quote::clip;

rule! {
    code: "MR644",
    name: "iap-member",
    severity: Error,
    summary: "An IAP member must be a principal IAP can grant access to: `user:`, `group:`, `domain:` or `serviceAccount:`.",
    check: check,
}

/// The principal kinds an IAP member takes, as IAM spells them.
const KINDS: &[&str] = &["user", "group", "domain", "serviceAccount"];

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    let lists = [
        ("/service/iap/members", spec.service.iap.as_ref()),
        ("/loadBalancer/iap/members", spec.load_balancer.iap.as_ref()),
    ];
    for (pointer, iap) in lists {
        let Some(iap) = iap else { continue };
        for (i, member) in iap.members.iter().enumerate() {
            if let Some(problem) = problem(member) {
                report
                    .at(&RULE, format!("{pointer}/{i}"), format!("IAP member `{}` {problem}", clip(member)))
                    .help("write `user:EMAIL`, `group:EMAIL`, `domain:DOMAIN` or `serviceAccount:EMAIL`");
            }
        }
    }
}

/// What is wrong with `member`, if anything.
fn problem(member: &str) -> Option<&'static str> {
    if member == "allUsers" || member == "allAuthenticatedUsers" {
        return Some("would admit anyone: IAP admits identities of the project's organization, by name");
    }
    let Some((kind, id)) = member.split_once(':') else {
        return Some("has no principal kind (`user:`, `group:`, `domain:`, `serviceAccount:`)");
    };
    if !KINDS.contains(&kind) {
        return Some("has a principal kind IAP does not take here");
    }
    let well_formed = match kind {
        "domain" => id.contains('.') && !id.contains('@'),
        _ => id.split_once('@').is_some_and(|(local, host)| !local.is_empty() && host.contains('.')),
    };
    (!well_formed || id.chars().any(char::is_whitespace)).then_some(match kind {
        "domain" => "is not a domain name",
        _ => "is not an email address",
    })
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn principals() {
        for ok in ["user:a@example.com", "group:admins@example.com", "domain:example.com", "serviceAccount:ci@p.iam.gserviceaccount.com"] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for bad in ["a@example.com", "allUsers", "allAuthenticatedUsers", "role:x@y.z", "user:alice", "domain:a@b.com", "user:a b@c.d"] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
