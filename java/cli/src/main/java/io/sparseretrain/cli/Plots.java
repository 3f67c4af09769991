package io.sparseretrain.cli;

import io.sparseretrain.core.experiment.CellResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** PNG line plots of a run: accuracy vs sparsity per schedule, and LR vs step per schedule. */
final class Plots {
    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194)};

    private Plots() {}

    static void write(Path dir, String algorithm, List<CellResult> cells) throws IOException {
        Map<String, List<double[]>> acc = new LinkedHashMap<>();
        for (CellResult c : cells) {
            String key = c.schedule().toUpperCase(Locale.ROOT) + String.format(Locale.ROOT, " %.2gep", c.retrainEpochs());
            acc.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {100 * c.sparsity(), 100 * c.finalAccuracy()});
        }
        for (List<double[]> pts : acc.values()) pts.sort((a, b) -> Double.compare(a[0], b[0]));
        line(dir.resolve("accuracy-vs-sparsity.png"), "test accuracy after retraining", "sparsity %", "accuracy %", average(acc));
        Map<String, List<double[]>> lr = new LinkedHashMap<>();
        for (CellResult c : cells) {
            if (c.seed() != cells.get(0).seed() || c.sparsity() != cells.get(0).sparsity()) continue;
            Path csv = dir.resolve("seed-" + c.seed()).resolve(CellResult.key(algorithm, c.schedule(), c.sparsity(), c.retrainEpochs())).resolve("lr-cycle-1.csv");
            if (!Files.exists(csv)) continue;
            List<double[]> pts = new ArrayList<>();
            for (String row : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
                String[] p = row.split(",");
                pts.add(new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])});
            }
            lr.put(c.schedule().toUpperCase(Locale.ROOT) + String.format(Locale.ROOT, " %.2gep", c.retrainEpochs()), pts);
        }
        if (!lr.isEmpty()) line(dir.resolve("lr-vs-step.png"), "learning rate of the first retraining cycle", "step", "learning rate", lr);
    }

    /** Mean over seeds of points that share x. */
    private static Map<String, List<double[]>> average(Map<String, List<double[]>> in) {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<double[]>> e : in.entrySet()) {
            Map<Double, double[]> sums = new LinkedHashMap<>();
            for (double[] p : e.getValue()) {
                double[] s = sums.computeIfAbsent(p[0], k -> new double[2]);
                s[0] += p[1];
                s[1]++;
            }
            List<double[]> pts = new ArrayList<>();
            sums.forEach((x, s) -> pts.add(new double[] {x, s[0] / s[1]}));
            out.put(e.getKey(), pts);
        }
        return out;
    }

    static void line(Path file, String title, String xLabel, String yLabel, Map<String, List<double[]>> series) throws IOException {
        int w = 900, h = 560, left = 80, right = 190, top = 50, bottom = 60;
        double x0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (List<double[]> pts : series.values()) {
            for (double[] p : pts) {
                if (!Double.isFinite(p[1])) continue;
                x0 = Math.min(x0, p[0]);
                x1 = Math.max(x1, p[0]);
                y0 = Math.min(y0, p[1]);
                y1 = Math.max(y1, p[1]);
            }
        }
        if (x0 > x1) return;
        if (x1 == x0) x1 = x0 + 1;
        double pad = (y1 - y0) * 0.05 + 1e-9;
        y0 -= pad;
        y1 += pad;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int pw = w - left - right, ph = h - top - bottom;
        g.drawRect(left, top, pw, ph);
        for (int i = 0; i <= 5; i++) {
            double xv = x0 + (x1 - x0) * i / 5, yv = y0 + (y1 - y0) * i / 5;
            int xp = left + pw * i / 5, yp = top + ph - ph * i / 5;
            g.drawString(String.format(Locale.ROOT, "%.4g", xv), xp - 15, top + ph + 18);
            g.drawString(String.format(Locale.ROOT, "%.4g", yv), 10, yp + 4);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left + 1, yp, left + pw - 1, yp);
            g.setColor(Color.BLACK);
        }
        g.drawString(xLabel, left + pw / 2 - 20, h - 15);
        g.drawString(yLabel, 10, top - 10);
        int k = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            Color c = COLORS[k % COLORS.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            int px = -1, py = -1;
            for (double[] p : e.getValue()) {
                if (!Double.isFinite(p[1])) continue;
                int x = left + (int) Math.round((p[0] - x0) / (x1 - x0) * pw);
                int y = top + ph - (int) Math.round((p[1] - y0) / (y1 - y0) * ph);
                if (px >= 0) g.drawLine(px, py, x, y);
                if (e.getValue().size() < 40) g.fillOval(x - 3, y - 3, 7, 7);
                px = x;
                py = y;
            }
            g.fillRect(w - right + 15, top + 10 + 20 * k, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), w - right + 35, top + 15 + 20 * k);
            k++;
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
    }
}
