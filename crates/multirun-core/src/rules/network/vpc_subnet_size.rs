use crate::rules::{Context, Report};

rule! {
    code: "MR905",
    name: "vpc-subnet-size",
    severity: Warning,
    summary: "Direct VPC egress subnets hold at least twice `maxInstances` addresses, in blocks of 16, and are `/26` or larger.",
    check: check,
}

/// Google's estimate of the addresses Direct VPC egress uses per instance.
pub const ADDRESSES_PER_INSTANCE: u64 = 2;
/// Cloud Run reserves subnet addresses in blocks of 16 (a `/28`).
pub const BLOCK: u64 = 16;
/// The smallest Direct VPC subnet gcloud's `--subnet` help allows: `/26`.
pub const LARGEST_PREFIX: u32 = 26;
/// Addresses Google Cloud reserves in every subnet's primary range.
pub const RESERVED: u64 = 4;

/// The addresses `max_instances` instances may use: twice as many, rounded up to blocks of 16.
pub fn addresses_needed(max_instances: u32) -> u64 {
    (u64::from(max_instances) * ADDRESSES_PER_INSTANCE).div_ceil(BLOCK) * BLOCK
}

/// The usable addresses of a `/prefix` primary range.
pub fn usable(prefix: u32) -> u64 {
    (1u64 << (32 - prefix.min(32))).saturating_sub(RESERVED)
}

/// The longest prefix (smallest subnet) whose usable addresses hold `needed`.
pub fn prefix_for(needed: u64) -> u32 {
    (8..=LARGEST_PREFIX)
        .rev()
        .find(|&p| usable(p) >= needed)
        .unwrap_or(8)
}

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    let Some(vpc) = &spec.service.vpc else {
        return;
    };
    let Some(prefix) = vpc.subnet_prefix_length else {
        return;
    };
    if vpc.connector.is_some() {
        return;
    }
    let pointer = "/service/vpc/subnetPrefixLength";
    if prefix > LARGEST_PREFIX {
        report
            .at(&RULE, pointer, format!("a `/{prefix}` subnet is smaller than `/26`, the smallest Direct VPC egress subnet gcloud accepts"))
            .help("give Direct VPC egress a `/26` subnet or larger (a connector's `/28` subnet does not serve Direct VPC)");
        return;
    }
    // The first region with the most instances (`max_by_key` keeps the last of equals).
    let Some(region) = spec.regions.iter().rev().max_by_key(|r| spec.max_instances(r)) else {
        return;
    };
    let max = spec.max_instances(region);
    let needed = addresses_needed(max);
    let available = usable(prefix);
    if available >= needed {
        return;
    }
    report
        .at(&RULE, pointer, format!("a `/{prefix}` subnet has {available} usable addresses, and `maxInstances: {max}` (region `{}`) may use {needed}: Direct VPC egress uses about 2 per instance, reserved in blocks of 16", region.name))
        .help(format!("use a `/{}` subnet or larger in each region, or lower `maxInstances`; new instances fail to start once the subnet runs out", prefix_for(needed)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_twice_the_instances_in_blocks_of_16() {
        assert_eq!(addresses_needed(1), 16);
        assert_eq!(addresses_needed(8), 16);
        assert_eq!(addresses_needed(9), 32);
        assert_eq!(addresses_needed(100), 208);
        assert_eq!(usable(24), 252);
        assert_eq!(usable(26), 60);
        assert_eq!(prefix_for(208), 24);
        assert_eq!(prefix_for(16), 26);
        assert_eq!(prefix_for(300), 23);
    }
}
