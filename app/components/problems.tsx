/** Malformed query values, said plainly; the page goes on with its defaults. */
export function QueryProblems({ problems, fallback }: { problems: string[]; fallback: string }) {
  if (!problems.length) return null;
  return (
    <div className="problem" role="alert">
      <p>
        <strong>This address has a value that could not be read.</strong> {fallback}
      </p>
      <ul>
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </div>
  );
}
