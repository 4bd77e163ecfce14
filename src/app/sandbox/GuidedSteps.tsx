import { STEPS, stepById, type Observation, type StepId } from '../../sandbox';

interface Props {
  step?: StepId;
  start?: Observation;
  now?: Observation;
  met: ReadonlySet<string>;
  onStep: (id: StepId | undefined) => void;
}

/** Properties (a)–(e) as tasks: pick one, move the clouds, and the step checks the result. */
export function GuidedSteps({ step, start, now, met, onStep }: Props) {
  const current = step ? stepById(step) : undefined;
  const done = current ? current.goals.every((g) => met.has(g.id)) : false;
  return (
    <section className="steps card" aria-labelledby="steps-title" data-testid="steps">
      <h3 id="steps-title">Guided steps: the paper’s properties (a)–(e)</h3>
      <div className="row" role="group" aria-label="Steps">
        {STEPS.map((s) => (
          <button key={s.id} type="button" aria-pressed={s.id === step} data-testid={`step-${s.id}`} onClick={() => onStep(s.id)}>({s.id})</button>
        ))}
        {current && <button type="button" onClick={() => onStep(undefined)}>Leave the step</button>}
      </div>
      {current ? (
        <div className="step" data-testid="step-current" data-done={done ? 'yes' : 'no'}>
          <p className="step-property">{current.property}</p>
          <p className="step-task"><strong>Task:</strong> {current.task}</p>
          <p className="muted small">Hint: {current.hint}</p>
          <ul className="goals">
            {current.goals.map((g) => (
              <li key={g.id} data-met={met.has(g.id) ? 'yes' : 'no'}>{met.has(g.id) ? '✓' : '○'} {g.label}</li>
            ))}
          </ul>
          <p className="step-check" role="status" data-testid="step-check">
            {start && now ? current.explain(start, now) : 'Measuring the starting point…'}
            {done && <strong> Done.</strong>}
          </p>
        </div>
      ) : (
        <p className="muted">Each step sets the clouds up, gives a task, and checks your result with the numbers above.</p>
      )}
    </section>
  );
}
