// The examples menu: the repository's own examples/, embedded at build time.
import weighted from "../../examples/weighted.yaml?raw";
import nearest from "../../examples/nearest.yaml?raw";
import errors from "../../examples/errors.yaml?raw";
import production from "../../examples/production.yaml?raw";
import kitchenSink from "../../examples/kitchen-sink.yaml?raw";
import internalAdmin from "../../examples/internal-admin.yaml?raw";

/** Every file of examples/, by its name without `.yaml` (the end-to-end test checks none is missing). */
export const EXAMPLES: { id: string; title: string; source: string }[] = [
  { id: "weighted", title: "Weighted split across three regions", source: weighted },
  { id: "nearest", title: "Nearest region with failover", source: nearest },
  { id: "production", title: "Production: secrets, VPC egress, own service account", source: production },
  { id: "internal-admin", title: "Internal admin tool behind Identity-Aware Proxy", source: internalAdmin },
  { id: "kitchen-sink", title: "Every field of the spec", source: kitchenSink },
  { id: "errors", title: "A spec full of errors to learn from", source: errors },
];

/** Fills the menu; picking an example hands its spec to `load`. */
export function setupExamplesMenu(menu: HTMLSelectElement, load: (source: string) => void) {
  for (const ex of EXAMPLES) menu.append(new Option(ex.title, ex.id));
  menu.addEventListener("change", () => {
    const ex = EXAMPLES.find((e) => e.id === menu.value);
    if (ex) load(ex.source);
    // Back to "Choose…", so picking the same example again loads it again.
    menu.value = "";
  });
}
