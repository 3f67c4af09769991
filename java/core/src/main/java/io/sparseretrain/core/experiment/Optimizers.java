package io.sparseretrain.core.experiment;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.ops.AdamWConfig;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.optim.AdamW;
import io.sparseretrain.core.optim.Optimizer;
import io.sparseretrain.core.optim.Sgd;
import io.sparseretrain.core.recipe.Recipe;

/** The recipe's optimizer over every parameter of the model. */
final class Optimizers {
    private Optimizers() {}

    static Optimizer create(Backend b, Model m, Recipe.Pretraining p) {
        return p.optimizer().equals("adamw")
                ? new AdamW(b, m.parameters(), new AdamWConfig(0.9f, 0.999f, 1e-8f, p.weightDecay()))
                : new Sgd(b, m.parameters(), new SgdConfig(p.momentum(), 0f, p.weightDecay(), p.nesterov() && p.momentum() > 0, false));
    }
}
