//! `architecture.svg` and `architecture.mmd` for every render case: the SVG is well-formed XML
//! that names every region and draws text inside its boxes and canvas; the Mermaid flowchart
//! is well formed (front matter, one statement per line, quoted labels, balanced subgraphs,
//! edges between defined nodes) and shows users → load balancer → NEG → Cloud Run per region,
//! labelled with the weights or "nearest".

mod generated_support;

use generated_support::*;
use multirun_core::render::targets::diagram::text_width;
use multirun_core::Spec;

fn attr(node: roxmltree::Node, name: &str) -> f64 {
    node.attribute(name)
        .unwrap_or_else(|| panic!("<{}> has no {name}", node.tag_name().name()))
        .parse()
        .unwrap()
}

pub fn check_svg(case: &str, spec: &Spec, text: &str) {
    let doc = roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{case}: architecture.svg is not well-formed XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert!(
        doc.descendants().all(|n| n.tag_name().name() != "script"),
        "{case}: no JavaScript"
    );
    let (width, height) = (attr(root, "width"), attr(root, "height"));
    let all_text: String = doc
        .descendants()
        .filter(roxmltree::Node::is_text)
        .map(|n| n.text().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    for region in &spec.regions {
        assert!(
            all_text.contains(&region.name),
            "{case}: the SVG does not mention {}",
            region.name
        );
        if let Some(weight) = region.weight {
            assert!(
                all_text.contains(&format!("weight {weight}")),
                "{case}: weight of {}",
                region.name
            );
        }
    }
    if spec.traffic.routing == multirun_core::spec::Routing::Nearest {
        assert!(
            all_text.contains("nearest"),
            "{case}: nearest routing is labelled"
        );
    }
    // Every text sits on the canvas; a box's text fits in its box.
    for text in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let (x, y) = (attr(text, "x"), attr(text, "y"));
        assert!(
            (0.0..=width).contains(&x) && (0.0..=height).contains(&y),
            "{case}: text at ({x}, {y}) is off the canvas"
        );
    }
    let mut boxes = Vec::new();
    for group in doc.descendants().filter(|n| n.has_tag_name("g")) {
        let rect = group
            .children()
            .find(|n| n.has_tag_name("rect"))
            .expect("a box");
        let (x, y, w, h) = (
            attr(rect, "x"),
            attr(rect, "y"),
            attr(rect, "width"),
            attr(rect, "height"),
        );
        assert!(
            x >= 0.0 && y >= 0.0 && x + w <= width && y + h <= height,
            "{case}: a box leaves the canvas"
        );
        for text in group.children().filter(|n| n.has_tag_name("text")) {
            let content = text.text().unwrap_or("");
            let bold = text.attribute("font-weight") == Some("bold");
            assert!(
                text_width(content, bold) <= w,
                "{case}: {content:?} overflows its box"
            );
            let ty = attr(text, "y");
            assert!(
                ty > y && ty < y + h,
                "{case}: {content:?} is outside its box"
            );
        }
        for &(x2, y2, w2, h2) in &boxes {
            let overlap = x < x2 + w2 && x2 < x + w && y < y2 + h2 && y2 < y + h;
            assert!(!overlap, "{case}: boxes overlap");
        }
        boxes.push((x, y, w, h));
    }
    let expected_boxes = 2
        + spec.regions.len() * 2
        + if spec.traffic.routing == multirun_core::spec::Routing::Nearest {
            1
        } else {
            spec.regions.len()
        };
    assert_eq!(
        boxes.len(),
        expected_boxes,
        "{case}: users, load balancer, backend service(s), a NEG and Cloud Run per region"
    );
}

pub fn check_mermaid(case: &str, spec: &Spec, text: &str) {
    let chart =
        parse_flowchart(text).unwrap_or_else(|e| panic!("{case}: architecture.mmd: {e}\n{text}"));
    let routing = spec.traffic.routing.as_str();
    assert!(
        chart
            .title
            .as_deref()
            .is_some_and(|t| t.contains(&format!("({routing} routing)"))),
        "{case}: title"
    );
    let run0 = chart.nodes.get("run0").expect("a Cloud Run node");
    assert!(
        run0.contains(&spec.service.name),
        "{case}: the service is named"
    );
    let label = |id: &str| {
        chart
            .nodes
            .get(id)
            .unwrap_or_else(|| panic!("{case}: no node {id}"))
            .clone()
    };
    assert_eq!(label("users"), "Users");
    let lb = label("lb");
    for domain in spec.load_balancer.domains.iter().take(3) {
        assert!(
            lb.contains(domain.as_str()),
            "{case}: the load balancer shows {domain}"
        );
    }
    let edge = |from: &str, to: &str| {
        chart
            .edges
            .iter()
            .find(|(f, t, _)| f == from && t == to)
            .unwrap_or_else(|| panic!("{case}: no edge {from} → {to}"))
            .2
            .clone()
    };
    edge("users", "lb");
    let rollout = chart.nodes.get("rollout");
    match spec.deployment {
        multirun_core::spec::Deployment::Regional => {
            let note = rollout.unwrap_or_else(|| panic!("{case}: no rollout note"));
            let steps: Vec<String> = spec
                .rollout
                .as_ref()
                .map_or(vec![10], |r| r.canary.clone())
                .iter()
                .map(|p| format!("{p}%"))
                .chain(["100%".to_string()])
                .collect();
            assert!(
                note.contains(&format!("each wave {}", steps.join(" → "))),
                "{case}: the rollout note shows the canary steps: {note}"
            );
        }
        multirun_core::spec::Deployment::MultiRegion => {
            assert!(
                rollout.is_none(),
                "{case}: a multi-region service has no waves"
            );
        }
    }
    let nearest = spec.traffic.routing == multirun_core::spec::Routing::Nearest;
    if nearest {
        edge("lb", "backend");
    }
    for (i, region) in spec.regions.iter().enumerate() {
        let (title, members) = chart
            .subgraphs
            .get(&format!("region{i}"))
            .unwrap_or_else(|| panic!("{case}: no subgraph for {}", region.name));
        // Regions roll out in waves, except a multi-region service (updated everywhere at once).
        let wave = spec
            .rollout_waves()
            .iter()
            .position(|wave| wave.contains(&region.name))
            .map(|i| i + 1);
        match spec.deployment {
            multirun_core::spec::Deployment::Regional => assert_eq!(
                title,
                &format!(
                    "{} · wave {} of {}",
                    region.name,
                    wave.unwrap(),
                    spec.rollout_waves().len()
                )
            ),
            multirun_core::spec::Deployment::MultiRegion => assert_eq!(title, &region.name),
        }
        let (neg, run) = (format!("neg{i}"), format!("run{i}"));
        assert!(
            members.contains(&neg) && members.contains(&run),
            "{case}: {} holds its NEG and service",
            region.name
        );
        assert!(label(&run).contains(&region.name) && label(&neg).contains(&region.name));
        edge(&neg, &run);
        if nearest {
            assert_eq!(
                edge("backend", &neg).as_deref(),
                Some("nearest"),
                "{case}: {} edge label",
                region.name
            );
        } else {
            let backend = format!("backend{i}");
            let weight = region.weight.unwrap();
            assert_eq!(
                edge("lb", &backend),
                Some(format!("weight {weight}")),
                "{case}: {} weight",
                region.name
            );
            edge(&backend, &neg);
        }
    }
}

#[test]
fn diagrams_of_every_case_are_well_formed() {
    for (case, spec) in cases() {
        check_svg(
            &case,
            &spec,
            &render_file(&spec, "diagram", "architecture.svg"),
        );
        check_mermaid(
            &case,
            &spec,
            &render_file(&spec, "diagram", "architecture.mmd"),
        );
    }
}

#[test]
fn the_flowchart_reader_rejects_broken_charts() {
    let good = "flowchart LR\n  a[\"A\"]\n  b(\"B#quot;\")\n  a -->|\"x\"| b\n";
    assert!(parse_flowchart(good).is_ok());
    for bad in [
        "graph TD\n  a[\"A\"]\n",
        "flowchart LR\n  a[\"A \"quoted\"\"]\n",
        "flowchart LR\n  a[\"A\"]\n  a --> b\n",
        "flowchart LR\n  subgraph s[\"S\"]\n  a[\"A\"]\n",
        "flowchart LR\n  a[\"<b>A</b>\"]\n",
        "flowchart LR\n  a[\"A#1\"]\n",
    ] {
        assert!(parse_flowchart(bad).is_err(), "accepted: {bad:?}");
    }
}
