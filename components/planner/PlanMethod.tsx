import { MethodNote } from "@/components/ui/MethodNote";
import type { Plan } from "@/lib/stats/power";
import { minus, short } from "./format";
import { decimals } from "@/lib/format/number";

const code = "rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.8rem] text-slate-800";

/** Exactly how the numbers are computed, with the current plan's values filled in. */
export function PlanMethod({ plan }: { plan: Plan | null }) {
  return (
    <MethodNote title="Method: how this is computed" className="bg-white px-5 py-4 shadow-sm">
      <ol className="list-decimal space-y-2 pl-5" data-testid="plan-method">
        <li>
          <strong>Effect size.</strong>{" "}
          {plan?.metric === "mean" ? (
            <>
              d = (target − baseline) / SD, with target = baseline × (1 + MDE) (or baseline + MDE when absolute).
              {plan
                ? ` Here (${short(plan.targetMean!)} − ${short(plan.baselineMean!)}) / ${short(plan.sd!)} = ${minus(decimals(plan.effectSize))}.`
                : null}
            </>
          ) : plan?.effectSizeMethod === "cohens-h" ? (
            <>
              Cohen&apos;s h = 2·asin√p2 − 2·asin√p1, with p2 = p1(1 + MDE) (or p1 + MDE when absolute).
              {plan ? ` Here p1 = ${short(plan.p1!)}, p2 = ${short(plan.p2!)}, h = ${minus(decimals(plan.effectSize))}.` : null}
            </>
          ) : (
            <>
              The pooled-SD formula (p2 − p1) / √(p̄(1 − p̄)), with p2 = p1(1 + MDE) (or p1 + MDE when absolute) and p̄ = (p1 + p2)/2.
              {plan?.p1 !== undefined
                ? ` Here p1 = ${short(plan.p1)}, p2 = ${short(plan.p2!)}, p̄ = ${short((plan.p1 + plan.p2!) / 2)}, effect size = ${minus(decimals(plan.effectSize))}.`
                : null}{" "}
              Cohen&apos;s h is the alternative for binary metrics.
            </>
          )}
        </li>
        <li>
          <strong>Sample size per variant.</strong> n solves the power equation of a two-sided normal test with equal groups,{" "}
          <code className={code}>zt_ind_solve_power(effect_size, alpha, power, ratio=1.0, alternative=&apos;two-sided&apos;)</code>, and is
          rounded up
          {plan ? (
            <>
              {" "}
              ({short(plan.nExact)} → {plan.perVariant.toLocaleString("en-US")})
            </>
          ) : null}
          . For the worked example (0.76, +5%) statsmodels gives 1,871.54, so Assay shows 1,872; the printout in “A/B testing for Llama
          apps” says 1,873.
        </li>
        <li>
          <strong>Total and days.</strong> Total = n × number of variants. Days = ⌈total / (daily traffic × coverage)⌉.
        </li>
        <li>
          <strong>An unequal split.</strong> With a traffic split such as 90/10, the control&apos;s n is solved with ratio = the
          treatment&apos;s share / the control&apos;s share, each arm needs n × its share / the control&apos;s share, and the arm that fills
          slowest sets the days: ⌈max over arms of n / (daily traffic × coverage × share)⌉.
          {plan?.unequalSplit
            ? ` Here ${plan.arms.map((a) => a.n.toLocaleString("en-US")).join(" / ")} for ${plan.arms.map((a) => short(a.share * 100)).join("/")}.`
            : null}
        </li>
        <li>
          <strong>More than two variants.</strong> With k variants each is compared with the control at alpha, or at alpha / (k − 1) with
          Bonferroni
          {plan && plan.variants > 2
            ? ` (here ${short(plan.alpha)} / ${plan.comparisons} = ${short(plan.alpha / plan.comparisons)}${plan.correction === "bonferroni" ? "" : " if you turn it on"})`
            : null}
          .
        </li>
        <li>
          <strong>The inverse.</strong> With N days each variant gets ⌊N × daily traffic × coverage / k⌋ units; the MDE shown is the
          smallest change that n detects at the same alpha and power.
        </li>
      </ol>
      <p className="text-slate-600">
        Sources: the pooled-standard-deviation effect size and the worked example are those of plan_ab_test in “A/B testing for Llama apps”;
        the sample size is the root statsmodels&apos; <code className={code}>zt_ind_solve_power</code> finds; Cohen&apos;s h is
        statsmodels&apos; <code className={code}>proportion_effectsize</code>.
      </p>
    </MethodNote>
  );
}
