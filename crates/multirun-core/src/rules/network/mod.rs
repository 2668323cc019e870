//! MR9xx: VPC egress (`service.vpc`, `regions[].subnet`): Direct VPC egress or a connector.

area! {
    "VPC network":
    vpc_connector_with_direct_vpc,
    vpc_missing_network,
    vpc_subnet_region,
    vpc_connector_name,
    vpc_subnet_size,
}
