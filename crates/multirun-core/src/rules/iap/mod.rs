//! MR640 on (in the load balancer range, MR6xx): Identity-Aware Proxy (`service.iap`,
//! `loadBalancer.iap`): where it sits, what it cannot be combined with, who it admits.

area! {
    "IAP":
    iap_public,
    iap_on_service_and_load_balancer,
    iap_load_balancer_ingress_all,
    iap_load_balancer_service_health,
    iap_member,
    iap_with_cdn,
}
