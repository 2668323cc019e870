//! MR1xx: traffic between regions.

area! {
    "traffic":
    weight_missing,
    weight_out_of_range,
    weights_sum,
    weight_ignored,
    weighted_no_failover,
}
