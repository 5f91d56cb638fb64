import { Gauge, type Registry } from "prom-client";

type Value = () => Promise<number | undefined>;

/**
 * An unlabelled gauge whose value is computed at scrape time, with no sample
 * while it is unknown: prom-client prints 0 for an unlabelled gauge nobody
 * set, and 0 would read as a real value ("no failed jobs", "views just
 * refreshed", "never reconciled").
 *
 * With `orDirectlySet`, a value given to `set()` counts too and the larger is
 * shown: for a timestamp, the newest.
 */
export class ComputedGauge extends Gauge {
  readonly #value: Value;
  readonly #orDirectlySet: boolean;

  constructor(o: { registry: Registry; name: string; help: string; value: Value; orDirectlySet?: boolean }) {
    super({ name: o.name, help: o.help, registers: [o.registry] });
    this.#value = o.value;
    this.#orDirectlySet = o.orDirectlySet ?? false;
  }

  override async get() {
    const [own, computed] = await Promise.all([super.get(), this.#value()]);
    // prom-client keeps 0 until set() is called, and 0 is never a real value of the gauges that take set().
    const set = own.values[0]?.value;
    const direct = this.#orDirectlySet && set !== undefined && set > 0 ? set : undefined;
    const value = direct === undefined ? computed : computed === undefined ? direct : Math.max(direct, computed);
    return { ...own, values: value === undefined ? [] : [{ value, labels: {} }] };
  }
}
