// One headline figure: a label, the value, and a line saying what it is measured on.

export function Metric({
  name,
  label,
  value,
  note,
}: {
  name: string;
  label: string;
  value: string;
  note?: string;
}) {
  return (
    <div className="metric" data-metric={name}>
      <span className="metric-label">{label}</span>
      <span className="metric-value">{value}</span>
      {note && <span className="metric-note">{note}</span>}
    </div>
  );
}
