//! The document's outline: the service, the regions (one child each) and the load balancer.

use crate::text::ByteSpan;
use crate::yaml::{self, Limits, Node};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Service,
    Regions,
    Region,
    LoadBalancer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole entry (key and value).
    pub span: ByteSpan,
    /// The part to select: the key, or the region's name.
    pub selection: ByteSpan,
    pub children: Vec<Symbol>,
}

fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        yaml::Value::Str(s) => Some(s.clone()),
        yaml::Value::Int(i) => Some(i.to_string()),
        yaml::Value::Float(f) => Some(f.to_string()),
        yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn entry_span(entry: &yaml::Entry) -> ByteSpan {
    ByteSpan::new(
        entry.key_span.start,
        entry.value.span.end.max(entry.key_span.end),
    )
}

/// The outline of `source`; empty when it does not parse into a mapping.
pub fn outline(source: &str) -> Vec<Symbol> {
    if source.len() > crate::check::MAX_INPUT_BYTES {
        return Vec::new();
    }
    let (Some(tree), _) = yaml::parse(source, Limits::default()) else {
        return Vec::new();
    };
    let mut symbols = Vec::new();
    if let Some(entry) = tree.get("service") {
        let name = entry.value.get("name").and_then(|e| scalar(&e.value));
        let image = entry.value.get("image").and_then(|e| scalar(&e.value));
        symbols.push(Symbol {
            name: name.map_or("service".to_string(), |n| format!("service {n}")),
            detail: image,
            kind: SymbolKind::Service,
            span: entry_span(entry),
            selection: entry.key_span,
            children: Vec::new(),
        });
    }
    if let Some(entry) = tree.get("regions") {
        let items: &[Node] = match &entry.value.value {
            yaml::Value::Seq(items) => items,
            _ => &[],
        };
        let children = items
            .iter()
            .map(|item| {
                let name = item.get("name");
                let weight = item.get("weight").and_then(|e| scalar(&e.value));
                Symbol {
                    name: name
                        .and_then(|e| scalar(&e.value))
                        .unwrap_or_else(|| "(unnamed region)".into()),
                    detail: weight.map(|w| format!("weight {w}")),
                    kind: SymbolKind::Region,
                    span: item.span,
                    selection: name.map_or(item.span, |e| e.value.span),
                    children: Vec::new(),
                }
            })
            .collect::<Vec<_>>();
        symbols.push(Symbol {
            name: "regions".into(),
            detail: Some(format!("{}", children.len())),
            kind: SymbolKind::Regions,
            span: entry_span(entry),
            selection: entry.key_span,
            children,
        });
    }
    if let Some(entry) = tree.get("loadBalancer") {
        let domains = entry.value.get("domains").map(|e| match &e.value.value {
            yaml::Value::Seq(items) => items
                .iter()
                .filter_map(scalar)
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        });
        symbols.push(Symbol {
            name: "load balancer".into(),
            detail: domains.filter(|d| !d.is_empty()),
            kind: SymbolKind::LoadBalancer,
            span: entry_span(entry),
            selection: entry.key_span,
            children: Vec::new(),
        });
    }
    symbols
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_regions_and_load_balancer() {
        let source = "service:\n  name: api\n  image: x\nregions:\n  - name: us-central1\n    weight: 60\n  - name: europe-west1\nloadBalancer:\n  domains: [a.example.com]\n";
        let symbols = outline(source);
        let names: Vec<_> = symbols.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["service api", "regions", "load balancer"]);
        let regions = &symbols[1].children;
        assert_eq!(regions[0].name, "us-central1");
        assert_eq!(regions[0].detail.as_deref(), Some("weight 60"));
        assert_eq!(
            &source[regions[1].selection.start..regions[1].selection.end],
            "europe-west1"
        );
        assert_eq!(symbols[2].detail.as_deref(), Some("a.example.com"));
        assert!(outline("a: [").is_empty());
    }
}
