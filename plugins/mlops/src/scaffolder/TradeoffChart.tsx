import type { TradeoffPoint } from '@mlops-plugins/backstage-plugin-mlops-common';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceDot,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

// A fixed size keeps the two charts side by side in the form's column, and renders in jsdom.
const WIDTH = 340;
const HEIGHT = 200;

const sequences = (n: number) => n.toFixed(2);
const tick = (n: number) => (n >= 10 ? n.toFixed(0) : n.toFixed(1));

/**
 * Concurrency (full-length sequences at once) against one setting: the low–high band, the
 * expected line, the line of one sequence (below it vLLM refuses to start) and the chosen point
 * at the low estimate the plan promises.
 */
export const TradeoffChart = (props: {
  title: string;
  points: TradeoffPoint[];
  chosenX: number;
  formatX: (x: number) => string;
  /** Context lengths double: spread them evenly rather than on a linear axis. */
  evenlySpaced?: boolean;
  testId: string;
}) => {
  const theme = useTheme();
  const rows = props.points.map(p => ({ ...p, band: [p.low, p.high] }));
  const chosen = props.points.find(p => p.x === props.chosenX);
  return (
    <div data-testid={props.testId}>
      <Typography variant="subtitle2">{props.title}</Typography>
      <ComposedChart
        width={WIDTH}
        height={HEIGHT}
        data={rows}
        margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="x"
          type={props.evenlySpaced ? 'category' : 'number'}
          domain={['dataMin', 'dataMax']}
          tickFormatter={props.formatX}
          minTickGap={12}
        />
        <YAxis width={44} tickFormatter={tick} />
        <Tooltip
          labelFormatter={x => props.formatX(Number(x))}
          formatter={(v: number | number[]) =>
            Array.isArray(v)
              ? `${sequences(v[0])}–${sequences(v[1])}`
              : sequences(v)
          }
        />
        <Area
          dataKey="band"
          name="low–high"
          stroke="none"
          fill={theme.palette.primary.main}
          fillOpacity={0.2}
          isAnimationActive={false}
        />
        <Line
          dataKey="middle"
          name="expected"
          stroke={theme.palette.primary.main}
          dot={false}
          isAnimationActive={false}
        />
        <ReferenceLine
          y={1}
          stroke={theme.palette.error.main}
          strokeDasharray="4 4"
        />
        {chosen ? (
          <ReferenceDot
            x={chosen.x}
            y={chosen.low}
            r={5}
            fill={theme.palette.secondary.main}
            stroke="none"
            className="mlops-plan-chosen"
          />
        ) : null}
      </ComposedChart>
      {chosen ? (
        <Typography variant="caption" color="textSecondary" component="div">
          Chosen {props.formatX(chosen.x)}: {sequences(chosen.low)}–
          {sequences(chosen.high)} sequences at once (the plan promises{' '}
          {sequences(chosen.low)}); below the dashed line vLLM refuses to start.
        </Typography>
      ) : null}
    </div>
  );
};
